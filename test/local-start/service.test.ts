import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalStack } from '../../local/stack';
import { invokeThroughOffline, LocalInvokeError, offlineParams } from '../../local/start/service';

describe('offlineParams', () => {
  const stack = {
    appKey: 'local-app-key',
    env: { ORDER_CENTER_BASE_URL: 'http://127.0.0.1:4010', CASHIER_APP_KEY: 'local-cashier-app-key' },
  } as unknown as LocalStack;

  it('points serverless.yml at the stack and runs reconcile on the schedule asked for', () => {
    expect(offlineParams(stack, 5)).toEqual({
      orderCenterBaseUrl: 'http://127.0.0.1:4010',
      baiduAppKey: 'local-app-key',
      cashierAppKey: 'local-cashier-app-key',
      esbuildWorkFolder: '.esbuild-local',
      reconcileSchedule: 'rate(5 minutes)',
    });
  });

  it('bundles into a work folder of its own, never the one `serverless package` deletes', () => {
    expect(offlineParams(stack, false).esbuildWorkFolder).not.toBe('.esbuild');
    expect(offlineParams(stack, false, '.esbuild-demo').esbuildWorkFolder).toBe('.esbuild-demo');
  });

  it('turns the reconcile schedule off when asked to', () => {
    const params = offlineParams(stack, false);

    expect(params.reconcileEnabled).toBe('false');
    expect(params).not.toHaveProperty('reconcileSchedule');
  });
});

describe('invokeThroughOffline', () => {
  let server: Server;
  let url: string;
  const received: { path: string; body: string }[] = [];
  let answer: (res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('posts the event to the function and returns what the handler returned', async () => {
    // Prepare
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"revived":["A"]}');

    // Act
    const result = await invokeThroughOffline(url, 'swan-order-sync-local-reconcile', { revive: true });

    // Assess
    expect(result).toEqual({ revived: ['A'] });
    expect(received).toEqual([
      { path: '/2015-03-31/functions/swan-order-sync-local-reconcile/invocations', body: '{"revive":true}' },
    ]);
  });

  it('throws LocalInvokeError with the handler error message when the function threw', async () => {
    // Prepare: serverless-offline answers 200 with X-Amz-Function-Error for a handler that threw.
    answer = (res) =>
      res
        .writeHead(200, { 'x-amz-function-error': 'Unhandled' })
        .end('{"errorMessage":"invalid reconcile command: bogus: unknown field bogus","errorType":"Error"}');

    // Act
    const failure = await invokeThroughOffline(url, 'fn', { bogus: 1 }).catch((err: unknown) => err);

    // Assess
    expect(failure).toBeInstanceOf(LocalInvokeError);
    expect((failure as Error).message).toBe(
      'invoke fn: HTTP 200 (Unhandled): invalid reconcile command: bogus: unknown field bogus',
    );
  });

  it('throws LocalInvokeError for a function the endpoint does not know', async () => {
    answer = (res) =>
      res
        .writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException' })
        .end('{"Message":"Function not found: nope","Type":"User"}');

    await expect(invokeThroughOffline(url, 'nope', {})).rejects.toThrow(
      'invoke nope: HTTP 404 (ResourceNotFoundException): Function not found: nope',
    );
  });
});
