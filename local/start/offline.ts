import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The service directory: where serverless.yml and node_modules are. */
export const SERVICE_ROOT = path.resolve(__dirname, '../..');

export interface OfflineOptions {
  stage: string;
  host: string;
  httpPort: number;
  lambdaPort: number;
  /** serverless.yml `${param:...}` values, passed as `--param=name=value` */
  params: Readonly<Record<string, string>>;
  /**
   * The process's environment. serverless-offline hands the functions the AWS_* variables of it (the
   * endpoints and dummy keys) under serverless.yml's provider.environment: anything else must be a param.
   */
  env: Readonly<Record<string, string | undefined>>;
  /** serverless-offline's own output, as it comes */
  onOutput?: (chunk: string) => void;
  /** how long bundling and starting may take; default 120 s */
  readyTimeoutMs?: number;
  /** default SERVICE_ROOT */
  root?: string;
}

/** serverless-offline did not come up: exited, or not ready in time. The message says which. */
export class OfflineStartError extends Error {
  override readonly name = 'OfflineStartError';
}

export interface OfflineProcess {
  readonly pid: number;
  /** everything it printed so far (kept whether or not onOutput shows it) */
  output(): string;
  /** resolves with the exit code (or the signal's name) once it is gone */
  readonly exited: Promise<number | string>;
  /** SIGTERM to its whole process group, SIGKILL if it lingers; resolves once it is gone */
  stop(): Promise<void>;
}

/** The command line after `serverless`: one stage, one host, the ports, and the params. */
export function offlineArgs(
  options: Pick<OfflineOptions, 'stage' | 'host' | 'httpPort' | 'lambdaPort' | 'params'>,
): string[] {
  return [
    'offline',
    '--stage',
    options.stage,
    '--host',
    options.host,
    '--httpPort',
    String(options.httpPort),
    '--lambdaPort',
    String(options.lambdaPort),
    '--noSponsor',
    ...Object.entries(options.params).map(([name, value]) => `--param=${name}=${value}`),
  ];
}

const STOP_GRACE_MS = 8_000;
const POLL_MS = 200;
const MAX_KEPT_OUTPUT = 200_000;
/** What a start failure quotes of its output: the end, where the reason is. */
const QUOTED_LINES = 60;

/**
 * osls reports a failure (a bundling error, a bad serverless.yml) with this line and then stays up while
 * esbuild's context lives: waiting for it to exit would take the whole ready timeout.
 */
const REPORTED_FAILURE = /^Environment: \S+, node \S+, osls /m;

const lastLines = (text: string) => text.trim().split('\n').slice(-QUOTED_LINES).join('\n');

/** Any HTTP answer at all: the listener is up (404 included). */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    // Negative pid: the whole group (serverless, esbuild's service, anything a handler spawned).
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  killGroup(child.pid, signal);
}

/**
 * Runs `serverless offline` (bundled by serverless-esbuild first) in its own process group, and resolves
 * once both its HTTP API and its Lambda endpoint answer. Rejects with OfflineStartError, having stopped
 * it, when it exits first or is not ready within readyTimeoutMs.
 */
export async function startOffline(options: OfflineOptions): Promise<OfflineProcess> {
  const root = options.root ?? SERVICE_ROOT;
  // The same Node as this process (Node 22 through the node@22 devDependency), not whatever `node` is first.
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules', 'serverless', 'bin', 'serverless.js'), ...offlineArgs(options)],
    { cwd: root, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-MAX_KEPT_OUTPUT);
    options.onOutput?.(text);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (err) => {
      output += `\n${err.message}`;
      resolve('spawn failed');
    });
  });
  // If this process dies without stop(), its detached group would live on, holding the ports.
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      signalGroup(child, 'SIGTERM');
      const lingering = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(lingering);
      // Whatever of its group outlived it (esbuild's service, a handler's child) goes too.
      killGroup(child.pid, 'SIGKILL');
      process.off('exit', killOnExit);
    })();
    return stopping;
  };

  const base = (port: number) => `http://${options.host}:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  let gone: number | string | undefined;
  void exited.then((how) => (gone = how));
  for (;;) {
    if (gone !== undefined) {
      await stop();
      throw new OfflineStartError(
        `serverless offline exited (${gone}) before it was ready:\n${lastLines(output)}`,
      );
    }
    if (REPORTED_FAILURE.test(output)) {
      await stop();
      throw new OfflineStartError(`serverless offline failed before it was ready:\n${lastLines(output)}`);
    }
    if ((await answers(`${base(options.httpPort)}/`)) && (await answers(`${base(options.lambdaPort)}/`)))
      break;
    if (Date.now() > deadline) {
      await stop();
      throw new OfflineStartError(
        `serverless offline was not ready within ${Math.round((options.readyTimeoutMs ?? 120_000) / 1000)} s:\n${lastLines(output)}`,
      );
    }
    await sleep(POLL_MS);
  }
  return { pid: child.pid as number, output: () => output, exited, stop };
}
