/**
 * A Lambda Invoke stand-in, just big enough for this project: the real @aws-sdk/client-lambda talks to it
 * through `AWS_ENDPOINT_URL_LAMBDA`, and it runs the handlers in this process. REST-JSON:
 * `POST /2015-03-31/functions/<name>/invocations`, `X-Amz-Invocation-Type` RequestResponse (200 and the
 * handler's result; a thrown error is `X-Amz-Function-Error: Unhandled`) or Event (202 at once, the
 * handler runs after). An unknown function is a 404 ResourceNotFoundException. Signatures are not checked.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { readBody } from '../read-body';

export type LocalHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalLambdaOptions {
  functions: Record<string, LocalHandler>;
  /** the time each invocation gets (Context.getRemainingTimeInMillis); default 60 s */
  timeoutMs?: number;
  port?: number;
}

export interface LocalInvocation {
  functionName: string;
  type: 'Event' | 'RequestResponse';
  event: unknown;
}

export interface LocalLambda {
  readonly url: string;
  /** every invocation received, oldest first */
  readonly invocations: LocalInvocation[];
  /** resolves once every asynchronous invocation started so far (and those they started) has ended */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

function context(functionName: string, timeoutMs: number): Context {
  const endsAt = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

export async function startLocalLambda(options: LocalLambdaOptions): Promise<LocalLambda> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const invocations: LocalInvocation[] = [];
  const running = new Set<Promise<unknown>>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://local').pathname);
    if (req.method !== 'POST' || !match) {
      send(
        res,
        404,
        { message: 'not an Invoke request' },
        { 'x-amzn-errortype': 'UnknownOperationException' },
      );
      return;
    }
    const functionName = decodeURIComponent(match[1] ?? '');
    const handler = options.functions[functionName];
    const text = await readBody(req, MAX_PAYLOAD_BYTES);
    if (!handler) {
      send(
        res,
        404,
        { Type: 'User', message: `Function not found: ${functionName}` },
        { 'x-amzn-errortype': 'ResourceNotFoundException' },
      );
      return;
    }
    const event: unknown = text === '' ? {} : JSON.parse(text);
    const type = req.headers['x-amz-invocation-type'] === 'Event' ? 'Event' : 'RequestResponse';
    invocations.push({ functionName, type, event });
    const run = handler(event, context(functionName, timeoutMs));
    if (type === 'Event') {
      // Accepted: the handler runs on, its outcome is its own (as in Lambda, where it would be retried).
      const tracked = run.catch(() => undefined).finally(() => running.delete(tracked));
      running.add(tracked);
      send(res, 202, undefined);
      return;
    }
    try {
      send(res, 200, await run);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      send(
        res,
        200,
        { errorType: error.name, errorMessage: error.message },
        { 'x-amz-function-error': 'Unhandled' },
      );
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 400, { message: err instanceof Error ? err.message : String(err) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const idle = async (): Promise<void> => {
    while (running.size > 0) await Promise.all([...running]);
  };
  return {
    url: `http://127.0.0.1:${port}`,
    invocations,
    idle,
    async stop() {
      await idle();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
