/**
 * An SSM-compatible HTTP server, just big enough for this project: the real @aws-sdk/client-ssm talks to
 * it through `AWS_ENDPOINT_URL_SSM` (or the client's `endpoint` option). AWS JSON 1.1 protocol: `POST /`
 * with `X-Amz-Target: AmazonSSM.<Operation>`; errors are HTTP 400 `{"__type","message"}`, which the SDK
 * turns into an error whose `name` is the `__type`. Signatures are not checked.
 */
import { randomUUID } from 'node:crypto';
import { BodyTooLargeError, readBody } from '../read-body';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ParameterStore, SsmFault, type ParameterType } from './store';

export type { ParameterType } from './store';

export interface SeedParameter {
  value: string;
  /** Default SecureString: most of this project's parameters are secrets, read WithDecryption. */
  type?: ParameterType;
}

export type SeedParameters = Record<string, SeedParameter>;

export interface LocalSsmOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  parameters?: SeedParameters;
}

/** One request as received. `target` is the operation (`GetParameter`), without the `AmazonSSM.` prefix. */
export interface LocalSsmRequest {
  target: string;
  name?: string;
  names?: string[];
}

export interface LocalSsm {
  readonly url: string;
  stop(): Promise<void>;
  /** A copy of the requests received so far, oldest first, failed ones included. */
  readonly requests: LocalSsmRequest[];
  clearRequests(): void;
  /** Creates or overwrites (the version goes up), without a request being recorded. Default SecureString. */
  put(name: string, value: string, type?: ParameterType): void;
  /** The plaintext value, whatever the type. */
  get(name: string): string | undefined;
}

const TARGET_PREFIX = 'AmazonSSM.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 1024 * 1024;

type Operation = (store: ParameterStore, body: unknown) => object;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  GetParameter: (store, body) => store.getParameter(body),
  GetParameters: (store, body) => store.getParameters(body),
  PutParameter: (store, body) => store.putParameter(body),
  DeleteParameter: (store, body) => store.deleteParameter(body),
};

export async function startLocalSsm(options: LocalSsmOptions = {}): Promise<LocalSsm> {
  const store = new ParameterStore();
  const seed = (name: string, value: string, type: ParameterType = 'SecureString'): void => {
    try {
      store.set(name, value, type);
    } catch (err) {
      if (err instanceof SsmFault) {
        throw new SsmFault(err.type, `cannot seed parameter "${name}": ${err.message}`);
      }
      throw err;
    }
  };
  for (const [name, parameter] of Object.entries(options.parameters ?? {})) {
    seed(name, parameter.value, parameter.type);
  }

  const requests: LocalSsmRequest[] = [];
  const server = createServer((req, res) => void handle(req, res, store, requests));
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopped: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    stop: () => (stopped ??= close(server)),
    get requests() {
      return requests.map((request) => ({ ...request }));
    },
    clearRequests: () => {
      requests.length = 0;
    },
    put: seed,
    get: (name) => store.plaintext(name),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  store: ParameterStore,
  requests: LocalSsmRequest[],
): Promise<void> {
  try {
    const header = req.headers['x-amz-target'];
    const target = typeof header === 'string' ? header : '';
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    const raw = await readBody(req, MAX_BODY_BYTES).catch((err: unknown) => {
      if (err instanceof BodyTooLargeError) throw new SsmFault('SerializationException', err.message, 413);
      throw err;
    });
    const body = parseJson(raw);
    requests.push(describe(operation, body));
    if (req.method !== 'POST' || req.url !== '/') {
      throw new SsmFault('InvalidAction', `only POST / is served, not ${req.method} ${req.url}`);
    }
    const run =
      target.startsWith(TARGET_PREFIX) && Object.hasOwn(OPERATIONS, operation)
        ? OPERATIONS[operation]
        : undefined;
    if (!run) {
      throw new SsmFault('InvalidAction', `unsupported operation: ${target || '(no X-Amz-Target header)'}`);
    }
    if (body === NOT_JSON) throw new SsmFault('SerializationException', 'the request body is not valid JSON');
    send(res, 200, run(store, body));
  } catch (err) {
    if (err instanceof SsmFault) send(res, err.status, { __type: err.type, message: err.message });
    else
      send(res, 500, {
        __type: 'InternalServerError',
        message: err instanceof Error ? err.message : String(err),
      });
  }
}

function describe(operation: string, body: unknown): LocalSsmRequest {
  const request: LocalSsmRequest = { target: operation };
  if (typeof body !== 'object' || body === null) return request;
  const { Name, Names } = body as { Name?: unknown; Names?: unknown };
  if (typeof Name === 'string') request.name = Name;
  if (Array.isArray(Names)) request.names = Names.filter((n): n is string => typeof n === 'string');
  return request;
}

/** Marks a body that is not JSON, so the request is still recorded before it is refused. */
const NOT_JSON = Symbol('not JSON');

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    return NOT_JSON;
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(payload);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // close() alone leaves sockets with a request still open, and stop() must not wait on a client.
    server.closeAllConnections();
  });
}
