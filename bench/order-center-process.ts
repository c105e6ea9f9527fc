import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { RequestLogEntry, StoredOrder } from '../local/order-center';
import type { AccessTokenProvider } from '../lib/token/provider';
import { ROOT } from './deploy-config';

/**
 * The local Order Center in a process of its own (local/order-center/main.ts through tsx), on 127.0.0.1 and
 * a free port: in the drain bench, sharing one event loop with the 16 workers made its `receivedAt` lag
 * behind when a call was sent (moving calls into the next second), and put its orders and request log into
 * the heap the workers are measured by. (Baidu is not in the Lambda's process either.) Driven over its
 * control endpoints: POST /__reset, POST /__faults, GET /requests, GET /orders.
 */
export interface OrderCenterProcess {
  url: string;
  /** its process id: what its CPU is read by (bench/stats processCpuMs) */
  pid: number;
  /** the one app it knows: its tokens are this AppKey's, and it refuses a BizAPPID other than it */
  appKey: string;
  /** a token fetched through its OAuth endpoint, as the workers' token provider */
  tokens: AccessTokenProvider;
  reset(): Promise<void>;
  setFaults(patch: Record<string, unknown>): Promise<void>;
  requests(): Promise<RequestLogEntry[]>;
  /** every order it holds, as the in-process stand-in's orders() */
  orders(): Promise<StoredOrder[]>;
  stop(): Promise<void>;
}

class OrderCenterProcessError extends Error {
  override readonly name = 'OrderCenterProcessError';
}

async function ok(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new OrderCenterProcessError(`${what}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

export async function startOrderCenterProcess(): Promise<OrderCenterProcess> {
  const appKey = 'bench-app-key';
  const appSecret = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/order-center/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOCAL_APP_KEY: appKey, LOCAL_APP_SECRET: appSecret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    void exited.then(([code]) =>
      reject(new OrderCenterProcessError(`the Order Center exited with ${String(code)} before listening`)),
    );
    lines.once('line', (line: string) => {
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new OrderCenterProcessError(`the Order Center printed ${JSON.stringify(line)}, not its URL`));
      }
    });
  });
  lines.close();
  child.stdout.resume();
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const query = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: appKey,
      client_secret: appSecret,
      scope: 'smartapp_snsapi_base',
    });
    const res = await ok(await fetch(`${url}/oauth/2.0/token?${query}`), 'OAuth token');
    const { access_token: token } = (await res.json()) as { access_token: string };
    const post = async (path: string, body: unknown) => {
      await ok(await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) }), `POST ${path}`);
    };
    return {
      url,
      pid: child.pid ?? 0,
      appKey,
      tokens: { getToken: () => Promise.resolve(token), invalidate: () => undefined },
      reset: () => post('/__reset', {}),
      setFaults: (patch) => post('/__faults', patch),
      async requests() {
        const res = await ok(await fetch(`${url}/requests`), 'GET /requests');
        return (await res.json()) as RequestLogEntry[];
      },
      async orders() {
        const res = await ok(await fetch(`${url}/orders`), 'GET /orders');
        return (await res.json()) as StoredOrder[];
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
