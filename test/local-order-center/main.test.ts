import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CALL_PATHS } from '../../lib/order-center/types';
import type { RequestLogEntry } from '../../local/order-center';
import { mainOrder, OPEN_ID } from './helpers';

const ROOT = join(__dirname, '../..');
const APP_KEY = 'cli-test-app-key';
const APP_SECRET = 'cli-test-app-secret';

/** Runs main.ts in its own Node process, through tsx's loader, as `npx tsx` would. */
function runMain(env: Record<string, string>): { child: ChildProcess; closed: Promise<number | null> } {
  const { LOCAL_APP_KEY: _key, LOCAL_APP_SECRET: _secret, PORT: _port, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/order-center/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close' rather than 'exit': it also waits for stdout and stderr to be drained.
  const closed = once(child, 'close').then(([code]) => code as number | null);
  return { child, closed };
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return line;
}

describe('local/order-center/main.ts', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'prints its URL as one JSON line, serves the app from the env, and stops cleanly on %s',
    async (signal) => {
      // Prepare
      const { child, closed } = runMain({ PORT: '0', LOCAL_APP_KEY: APP_KEY, LOCAL_APP_SECRET: APP_SECRET });
      try {
        const { url } = JSON.parse(await firstLine(child)) as { url: string };
        const query = new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: APP_KEY,
          client_secret: APP_SECRET,
          scope: 'smartapp_snsapi_base',
        });
        const res = await fetch(`${url}/oauth/2.0/token?${query}`);
        // Act
        child.kill(signal);
        // Assess
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(res.status).toBe(200);
        expect(await closed).toBe(0);
        await expect(fetch(`${url}/`)).rejects.toThrow();
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  );

  it('is driven over HTTP alone, as the drain bench does: faults, its request log, reset', async () => {
    // Prepare
    const { child, closed } = runMain({ PORT: '0', LOCAL_APP_KEY: APP_KEY, LOCAL_APP_SECRET: APP_SECRET });
    try {
      const { url } = JSON.parse(await firstLine(child)) as { url: string };
      const post = (path: string, body: unknown) =>
        fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) });
      const query = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: APP_KEY,
        client_secret: APP_SECRET,
        scope: 'smartapp_snsapi_base',
      });
      const token = (
        (await (await fetch(`${url}/oauth/2.0/token?${query}`)).json()) as { access_token: string }
      ).access_token;
      const before = Math.floor(Date.now() / 1000);
      // Act
      const faults = await post('/__faults', { latencyMs: 5 });
      const call = await post(
        `${CALL_PATHS['add/main/info']}?${new URLSearchParams({ access_token: token, open_id: OPEN_ID })}`,
        { Data: [mainOrder()] },
      );
      const after = Math.ceil(Date.now() / 1000);
      const log = (await (await fetch(`${url}/requests`)).json()) as RequestLogEntry[];
      const reset = await post('/__reset', {});
      const afterReset = (await (await fetch(`${url}/requests`)).json()) as RequestLogEntry[];
      child.kill('SIGTERM');
      // Assess
      expect(faults.status).toBe(200);
      expect(await faults.json()).toMatchObject({ latencyMs: 5 });
      expect(call.status).toBe(200);
      expect(log.map((r) => [r.call, r.status])).toEqual([
        ['oauth/token', 200],
        ['add/main/info', 200],
      ]);
      expect(log[0]!.query.client_secret).toBe('***');
      expect(JSON.stringify(log)).not.toContain(APP_SECRET);
      expect(log[1]!.receivedAt).toBeGreaterThanOrEqual(before);
      expect(log[1]!.receivedAt).toBeLessThanOrEqual(after);
      expect(reset.status).toBe(200);
      expect(afterReset).toEqual([]);
      expect(await closed).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it.each([
    [{ LOCAL_APP_KEY: APP_KEY }, 'LOCAL_APP_SECRET must be set'],
    [{}, 'LOCAL_APP_KEY and LOCAL_APP_SECRET must be set'],
    [{ LOCAL_APP_KEY: APP_KEY, LOCAL_APP_SECRET: APP_SECRET, PORT: 'eighty' }, 'PORT must be an integer'],
  ])('exits 1 with a clear message when the env is wrong (%j)', async (env, message) => {
    // Prepare
    const { child, closed } = runMain(env);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Act
    const code = await closed;
    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr).not.toContain(APP_SECRET);
  });
});
