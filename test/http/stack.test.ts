import type { Context } from 'aws-lambda';
import {
  BadSignatureError,
  InvalidEventError,
  lifecycleHandler,
  MAX_BODY_BYTES,
  type HttpReply,
  type Route,
  type StackResult,
} from '../../lib/http';
import type { IntakeReply } from '../../lib/intake';
import { lambdaContext } from '../helpers/lambda';
import { captureLogs, httpEvent } from './helpers';

const ACCEPTED: HttpReply = { statusCode: 202, headers: {}, body: '{"ok":true}' };
const INTAKE: IntakeReply = { orderId: 'o1', eventId: 'e1', duplicate: false, sync: 'synced' };

function fakeRoute(overrides: Partial<Route> = {}): Route & { handle: jest.Mock } {
  return {
    accepts: 'application/json',
    replies: 'merchant',
    ...overrides,
    handle: jest.fn(overrides.handle ?? (async () => ACCEPTED)),
  };
}

async function call(
  handler: ReturnType<typeof lifecycleHandler>,
  event: unknown,
  context: Context = lambdaContext('t'),
) {
  return (await handler(event, context)) as StackResult;
}

const json = { 'content-type': 'application/json' };
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe('the shared stack, over HTTP', () => {
  it('passes a request that clears every check to its route, with the raw body', async () => {
    // Prepare
    const route = fakeRoute();
    const handler = lifecycleHandler({ routes: { 'POST /a': route }, invoke: jest.fn() });

    // Act
    const reply = await call(handler, httpEvent('POST /a', '{"x":1}', { headers: json }));

    // Assess
    expect(reply).toBe(ACCEPTED);
    expect(route.handle).toHaveBeenCalledTimes(1);
    expect(route.handle.mock.calls[0][0].body.toString()).toBe('{"x":1}');
  });

  it.each<[string, string, Record<string, string>, number]>([
    [
      'over the limit and of the wrong type: the size is checked first',
      'x'.repeat(MAX_BODY_BYTES + 1),
      { 'content-type': 'text/plain' },
      413,
    ],
    [
      'exactly at the limit but of the wrong type',
      'x'.repeat(MAX_BODY_BYTES),
      { 'content-type': 'text/plain' },
      415,
    ],
    ['a form on a JSON route', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
  ])('refuses %s before the route sees it', async (_name, body, headers, status) => {
    // Prepare
    const route = fakeRoute();
    const handler = lifecycleHandler({ routes: { 'POST /a': route }, invoke: jest.fn() });

    // Act
    const reply = (await call(handler, httpEvent('POST /a', body, { headers }))) as HttpReply;

    // Assess
    expect(reply.statusCode).toBe(status);
    expect(route.handle).not.toHaveBeenCalled();
  });

  it("answers a refusal in the cashier's shape on a cashier route", async () => {
    // Prepare
    const route = fakeRoute({
      accepts: 'application/x-www-form-urlencoded',
      replies: 'cashier',
      handle: async () => {
        throw new BadSignatureError('rsaSign is wrong', [{ path: 'rsaSign', message: 'is wrong' }]);
      },
    });
    const handler = lifecycleHandler({ routes: { 'POST /n': route }, invoke: jest.fn() });

    // Act
    const reply = (await call(
      handler,
      httpEvent('POST /n', 'a=1', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    )) as HttpReply;

    // Assess
    expect(reply.statusCode).toBe(401);
    expect(JSON.parse(reply.body)).toEqual({
      errno: 401,
      msg: 'rsaSign is wrong',
      error: {
        code: 'bad_signature',
        message: 'rsaSign is wrong',
        details: [{ path: 'rsaSign', message: 'is wrong' }],
      },
    });
  });

  it('answers a logged 500 for a fault of ours, without its message', async () => {
    // Prepare
    const route = fakeRoute({
      handle: async () => {
        throw new TypeError('cannot read properties of undefined (internal detail)');
      },
    });
    const handler = lifecycleHandler({ routes: { 'POST /a': route }, invoke: jest.fn() });

    // Act
    const reply = (await call(handler, httpEvent('POST /a', '{}', { headers: json }))) as HttpReply;

    // Assess
    expect(reply.statusCode).toBe(500);
    expect(reply.body).not.toMatch(/internal detail/);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'internal fault',
        error: expect.objectContaining({ name: 'TypeError' }),
      }),
    );
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'request failed', route: 'POST /a', status: 500 }),
    );
  });

  it('logs and answers a few of the fields a refusal names, cut short: key names come from the sender', async () => {
    // Prepare
    const details = Array.from({ length: 50 }, (_, i) => ({
      path: `${i}`.padEnd(5_000, 'k'),
      message: 'is unknown',
    }));
    const route = fakeRoute({
      handle: async () => {
        throw new InvalidEventError('invalid', details);
      },
    });
    const handler = lifecycleHandler({ routes: { 'POST /a': route }, invoke: jest.fn() });

    // Act
    const reply = (await call(handler, httpEvent('POST /a', '{}', { headers: json }))) as HttpReply;

    // Assess
    expect(JSON.parse(reply.body).error.details).toHaveLength(20);
    const line = logs.lines().find((l) => l.message === 'request refused');
    expect(line?.fields).toHaveLength(20);
    for (const field of line?.fields as string[]) expect(field.length).toBeLessThanOrEqual(100);
  });

  it('answers 404 for a route it does not serve', async () => {
    const handler = lifecycleHandler({ routes: { 'POST /a': fakeRoute() }, invoke: jest.fn() });
    const reply = (await call(handler, httpEvent('GET /a', undefined))) as HttpReply;
    expect(reply.statusCode).toBe(404);
    expect(JSON.parse(reply.body).error.code).toBe('route_not_found');
  });
});

describe('the shared stack, on a direct invoke', () => {
  it('hands the event itself to invoke and returns its reply', async () => {
    // Prepare
    const invoke = jest.fn(async () => INTAKE);
    const handler = lifecycleHandler({ routes: { 'POST /a': fakeRoute() }, invoke });
    const event = { eventId: 'e1', orderId: 'o1' };

    // Act
    const reply = await call(handler, event);

    // Assess
    expect(reply).toBe(INTAKE);
    expect(invoke).toHaveBeenCalledWith(event, expect.anything());
  });

  it('lets the error through, so the invocation fails with its message', async () => {
    // Prepare
    const fault = new Error('not recorded');
    const handler = lifecycleHandler({
      routes: {},
      invoke: async () => {
        throw fault;
      },
    });

    // Act, Assess
    await expect(call(handler, { eventId: 'e1' })).rejects.toBe(fault);
    expect(logs.lines()).toContainEqual(expect.objectContaining({ route: 'invoke', status: 'failed' }));
  });
});
