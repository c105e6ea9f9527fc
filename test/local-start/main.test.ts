import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePorts } from '../../local/start/ports';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(ROOT, 'local', 'start', 'main.ts');

/** Runs `npm start`'s entry point with the given settings; these cases all end before anything starts. */
async function npmStart(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(TSX, [MAIN], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Free ports for every listener, so these runs never meet a real `npm start` on the defaults. */
async function portEnv(): Promise<Record<string, string>> {
  const [a, b, c, d, e] = await freePorts(5);
  return {
    LOCAL_ORDER_CENTER_PORT: String(a),
    LOCAL_SSM_PORT: String(b),
    LOCAL_DYNAMO_PORT: String(c),
    LOCAL_HTTP_PORT: String(d),
    LOCAL_LAMBDA_PORT: String(e),
  };
}

describe('local/start/main.ts (npm start) refusing to start', () => {
  let held: Server;

  beforeAll(async () => {
    held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => held.close(() => resolve()));
  });

  it('says which port is taken and which variable moves it, and exits 1', async () => {
    // Prepare
    const port = (held.address() as AddressInfo).port;

    // Act
    const run = await npmStart({ ...(await portEnv()), LOCAL_HTTP_PORT: String(port) });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`npm start: port ${port} on 127.0.0.1 is in use`);
    expect(run.stderr).toContain('the HTTP API (serverless-offline)');
    expect(run.stderr).toContain('LOCAL_HTTP_PORT=<another port> npm start');
    expect(run.stderr).not.toContain('    at ');
  });

  it('names a malformed setting and exits 1 before starting anything', async () => {
    // Act
    const run = await npmStart({ ...(await portEnv()), LOCAL_LAMBDA_PORT: 'three thousand' });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'npm start: invalid settings: LOCAL_LAMBDA_PORT: must be an integer from 1 to 65535',
    );
    expect(run.stdout).not.toContain('Starting');
  });
});

describe('local/start/main.ts (npm start) running, and a second one beside it', () => {
  interface Run {
    child: ReturnType<typeof spawn>;
    stdout(): string;
    stderr(): string;
    exited: Promise<number | null>;
  }

  const runMain = (env: Record<string, string>): Run => {
    // Its own process group, so that afterAll can stop whatever is left of it.
    const child = spawn(TSX, [MAIN], { cwd: ROOT, env: { ...process.env, ...env }, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit').then(([code]) => code as number | null);
    return { child, stdout: () => stdout, stderr: () => stderr, exited };
  };

  async function until(what: string, ready: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  let env: Record<string, string>;
  let secretsDir: string;
  let first: Run;

  beforeAll(async () => {
    secretsDir = await mkdtemp(path.join(tmpdir(), 'npm-start-secrets-'));
    // The schedule at its slowest (59 min), so only the test's own invoke runs reconcile while it looks.
    env = { ...(await portEnv()), LOCAL_SECRETS_DIR: secretsDir, LOCAL_RECONCILE_MINUTES: '59' };
    first = runMain(env);
    // Bundling first: slow on a busy machine.
    await until(
      'the banner',
      () => first.stdout().includes('Ctrl-C stops everything') || first.child.exitCode !== null,
      240_000,
    );
    if (first.child.exitCode !== null) throw new Error(`npm start exited: ${first.stderr()}`);
  }, 250_000);

  afterAll(async () => {
    if (first.child.exitCode === null) {
      try {
        process.kill(-first.child.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    await rm(secretsDir, { recursive: true, force: true });
  });

  it('prints only true addresses: no invoke URLs on the HTTP port, no port but its own five', () => {
    // Prepare
    const ports = new Set(Object.values(env).filter((v) => /^\d+$/.test(v)));

    // Act
    const shown = first.stdout();

    // Assess
    const printed = [...shown.matchAll(/127\.0\.0\.1:(\d+)/g)].map(([, port]) => port);
    expect(printed.length).toBeGreaterThan(5);
    expect(printed.filter((port) => !ports.has(port!))).toEqual([]);
    expect(shown).not.toContain(`127.0.0.1:${env.LOCAL_HTTP_PORT}/2015-03-31/functions`);
    expect(shown).not.toMatch(/[┌│└]/);
  });

  it('shows a scheduled reconcile as one line: no log JSON, no metrics, no REPORT line', async () => {
    // Act
    const res = await fetch(
      `http://127.0.0.1:${env.LOCAL_LAMBDA_PORT}/2015-03-31/functions/swan-order-sync-local-reconcile/invocations`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    );
    await res.arrayBuffer();
    await until(
      'the reconcile line',
      () => /reconcile: started \d+ shard workers/.test(first.stdout()),
      30_000,
    );

    // Assess
    expect(res.status).toBe(200);
    const after = first.stdout().slice(first.stdout().indexOf('Ctrl-C stops everything'));
    // The coordinator's one line; its shard workers found nothing to do, so they print nothing.
    expect(after.match(/reconcile: started 16 shard workers/g)).toHaveLength(1);
    expect(after).not.toMatch(/reconcile shard \d+:/);
    expect(after).not.toContain('{"');
    expect(after).not.toContain('RequestId');
  });

  it('refuses a second start on the same folder: names the pid and every busy port, rewrites no secret', async () => {
    // Prepare
    const held = JSON.parse(await readFile(path.join(secretsDir, 'npm-start.json'), 'utf8')) as {
      pid: number;
    };
    const secrets = ['webhook-secret', 'cashier-private-key.pem', 'cashier-public-key.pem', 'env'];
    const before = await Promise.all(secrets.map((name) => readFile(path.join(secretsDir, name), 'utf8')));

    // Act
    const second = runMain(env);
    const code = await second.exited;

    // Assess
    expect(code).toBe(1);
    expect(second.stderr()).toContain(`npm start: another npm start, pid ${held.pid}, is running`);
    const busyLine =
      second
        .stderr()
        .split('\n')
        .find((line) => line.startsWith('Ports in use:')) ?? '';
    for (const name of Object.keys(env).filter((n) => n.endsWith('_PORT'))) {
      expect(busyLine).toContain(`${env[name]} (`);
      expect(busyLine).toContain(name);
    }
    expect(second.stdout()).not.toContain('Starting');
    const after = await Promise.all(secrets.map((name) => readFile(path.join(secretsDir, name), 'utf8')));
    expect(after).toEqual(before);
    expect(first.child.exitCode).toBeNull();
  });

  it('stops on Ctrl-C, exits 0 and gives the folder back', async () => {
    // Act
    first.child.kill('SIGINT');
    const code = await first.exited;

    // Assess
    expect(code).toBe(0);
    await expect(readFile(path.join(secretsDir, 'npm-start.json'), 'utf8')).rejects.toMatchObject({
      code: 'ENOENT',
    });
  }, 30_000);
});
