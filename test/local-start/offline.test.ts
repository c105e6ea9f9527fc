import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { offlineArgs, OfflineStartError, startOffline } from '../../local/start/offline';
import { freePorts } from '../../local/start/ports';

/**
 * A stand-in for `serverless offline` (the real one bundles for seconds): it serves the two ports it is
 * given and starts a grandchild, so the test can see that stopping reaches the whole process group.
 */
const FAKE_SERVERLESS = `
const http = require('node:http');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const mode = process.env.FAKE_MODE;
console.log('fake offline ' + process.argv.slice(2).join(' '));
if (mode === 'exit') { console.error('cannot bundle: boom'); process.exit(3); }
if (mode === 'silent') { setInterval(() => {}, 1000); return; }
if (mode === 'error-hang') {
  // osls after a bundling error: the report, then it stays up.
  console.log('Environment: linux, node 22.23.3, osls 4.3.1 (local)\\nDocs:        github.com/oss-serverless/osls');
  console.log('Error:\\nBuild failed with 1 error: functions/shipped.ts:20:22: ERROR: Unexpected ";"');
  setInterval(() => {}, 1000);
  return;
}
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
fs.writeFileSync(process.env.FAKE_PID_FILE, String(grandchild.pid));
for (const port of [arg('--httpPort'), arg('--lambdaPort')]) {
  http.createServer((req, res) => res.writeHead(404).end()).listen(Number(port), arg('--host'));
}
console.log('Server ready');
// Like serverless-offline: leaves on SIGTERM, without stopping what it started.
process.on('SIGTERM', () => process.exit(0));
`;

/** Gone, or a zombie waiting for a reaper: either way it holds nothing. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !(existsSync(stat) && readFileSync(stat, 'utf8').split(') ')[1]?.startsWith('Z'));
}

async function until(check: () => boolean, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe('offlineArgs', () => {
  it('passes one stage, one host, both ports and each param as --param=name=value', () => {
    // Act
    const args = offlineArgs({
      stage: 'local',
      host: '127.0.0.1',
      httpPort: 3000,
      lambdaPort: 3002,
      params: { orderCenterBaseUrl: 'http://127.0.0.1:4010', reconcileSchedule: 'rate(1 minute)' },
    });

    // Assess
    expect(args).toEqual([
      'offline',
      '--stage',
      'local',
      '--host',
      '127.0.0.1',
      '--httpPort',
      '3000',
      '--lambdaPort',
      '3002',
      '--noSponsor',
      '--param=orderCenterBaseUrl=http://127.0.0.1:4010',
      '--param=reconcileSchedule=rate(1 minute)',
    ]);
  });
});

describe('startOffline', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fake-offline-'));
    const bin = path.join(root, 'node_modules', 'serverless', 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, 'serverless.js'), FAKE_SERVERLESS);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const options = async (mode: string, extra: Record<string, unknown> = {}) => {
    const [httpPort, lambdaPort] = await freePorts(2);
    return {
      root,
      stage: 'local',
      host: '127.0.0.1',
      httpPort: httpPort!,
      lambdaPort: lambdaPort!,
      params: { baiduAppKey: 'local-app-key' },
      env: { ...process.env, FAKE_MODE: mode, FAKE_PID_FILE: path.join(root, 'grandchild.pid') },
      ...extra,
    };
  };

  it('resolves once both ports answer, and stop() ends its whole process group', async () => {
    // Prepare
    const seen: string[] = [];
    const opts = await options('serve', { onOutput: (chunk: string) => seen.push(chunk) });

    // Act
    const offline = await startOffline(opts);
    const grandchild = Number(readFileSync(path.join(root, 'grandchild.pid'), 'utf8'));
    await offline.stop();

    // Assess
    expect(offline.output()).toContain(`--httpPort ${opts.httpPort} --lambdaPort ${opts.lambdaPort}`);
    expect(offline.output()).toContain('--param=baiduAppKey=local-app-key');
    expect(seen.join('')).toBe(offline.output());
    await expect(offline.exited).resolves.toBe(0);
    expect(alive(offline.pid)).toBe(false);
    expect(await until(() => !alive(grandchild))).toBe(true);
  });

  it('rejects with what it printed when it exits before it is ready', async () => {
    // Act
    const failure = await startOffline(await options('exit')).catch((err: unknown) => err);

    // Assess
    expect(failure).toBeInstanceOf(OfflineStartError);
    expect((failure as Error).message).toContain('exited (3) before it was ready');
    expect((failure as Error).message).toContain('cannot bundle: boom');
  });

  it('rejects at once, with the report, when serverless reports a failure and stays up', async () => {
    // Prepare
    const began = Date.now();

    // Act
    const failure = await startOffline(await options('error-hang', { readyTimeoutMs: 20_000 })).catch(
      (err: unknown) => err,
    );

    // Assess
    expect(failure).toBeInstanceOf(OfflineStartError);
    expect((failure as Error).message).toContain('serverless offline failed before it was ready');
    expect((failure as Error).message).toContain('ERROR: Unexpected ";"');
    expect(Date.now() - began).toBeLessThan(10_000);
  });

  it('rejects and stops it when it is not ready in time', async () => {
    // Act
    const failure = await startOffline(await options('silent', { readyTimeoutMs: 600 })).catch(
      (err: unknown) => err,
    );

    // Assess
    expect(failure).toBeInstanceOf(OfflineStartError);
    expect((failure as Error).message).toContain('was not ready within 1 s');
    expect((failure as Error).message).toContain('fake offline offline --stage local');
  });
});
