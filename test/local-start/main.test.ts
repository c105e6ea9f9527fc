import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
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
