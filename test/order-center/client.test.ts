import { createOrderCenterClient, type OrderCenterClient } from '../../lib/order-center/client';
import {
  OrderNotFoundError,
  PermanentOrderCenterError,
  QuotaExceededError,
  RejectedBodyError,
  TokenRejectedError,
  TransientOrderCenterError,
  UnknownReplyError,
} from '../../lib/order-center/errors';
import type {
  CallBodies,
  Express,
  OrderCenterCall,
  OrderData,
  SubOrderItem,
} from '../../lib/order-center/types';
import { startLocalOrderCenter, type LocalOrderCenter } from '../../local/order-center';
import { localTokens } from '../helpers/order-center';
import pageExample from '../fixtures/order-center/add-main-info.page.json';

const APP_KEY = 'a392qXwK8L5GDUWhFoC01cKwoy7tmehg';
const OPEN_ID = 'open-user-1';

let oc: LocalOrderCenter;
let tokens: ReturnType<typeof localTokens>;
let client: OrderCenterClient;

function order(resourceId: string): OrderData {
  const data = structuredClone(pageExample.Data[0]) as unknown as OrderData;
  delete data.EXT.SubsOrder;
  return { ...data, BizAPPID: APP_KEY, ResourceID: resourceId };
}

const refund: SubOrderItem = {
  SubOrderID: 'R1',
  SubStatus: 400,
  CTime: 1571026201,
  MTime: 1571026201,
  OrderType: 1,
  Refund: { Amount: 10, Product: [{ ID: '1014093064', Quantity: 1, Amount: 10 }] },
};

function key(resourceId: string) {
  return { CateID: 1 as const, BizAPPID: APP_KEY, ResourceID: resourceId };
}

/** Requests the local Order Center received for one call. */
function received(call: OrderCenterCall) {
  return oc.requests.filter((r) => r.call === call);
}

beforeAll(async () => {
  oc = await startLocalOrderCenter();
});

afterAll(async () => {
  await oc.stop();
});

beforeEach(() => {
  oc.reset();
  tokens = localTokens(oc, APP_KEY);
  client = createOrderCenterClient({
    baseUrl: oc.url,
    tokens,
    pmAppKey: 'cashier-app-key',
    callTimeoutMs: 300,
    baseDelayMs: 5,
    maxDelayMs: 20,
  });
});

const SHIPMENT: Express = { Code: 'SFEXPRESS', ID: 'SF1234567890', Name: '顺丰速运', Status: 0, Type: 1 };

describe('each of the seven calls against the local Order Center', () => {
  it('adds, updates, and manages after-sale orders, at the exact paths with the right query', async () => {
    // Prepare
    const bodies: { [C in OrderCenterCall]: CallBodies[C] } = {
      'add/main/info': { Data: [order('O1')] },
      'update/main/info': {
        Data: [{ ...key('O1'), Status: 6, EXT: { MainOrder: order('O1').EXT.MainOrder } }],
      },
      'update/main/status': { Data: [{ ...key('O1'), Status: 200 }] },
      'append/sub/info': { Data: [{ ...key('O1'), EXT: { SubsOrder: { Status: 400, Items: [refund] } } }] },
      'update/sub/info': {
        Data: [
          {
            ...key('O1'),
            EXT: { SubsOrder: { Status: 401, Items: [{ ...refund, SubStatus: 401, OrderType: 3 }] } },
          },
        ],
      },
      'update/sub/status': {
        Data: [
          {
            ...key('O1'),
            EXT: { SubsOrder: { Status: 402, Items: [{ SubOrderID: 'R1', SubStatus: 402 }] } },
          },
        ],
      },
      'add/main/logistics': {
        Data: [{ ...key('O1'), EXT: { MainOrder: { Express: SHIPMENT } } }],
      },
    };

    // Act
    for (const call of Object.keys(bodies) as OrderCenterCall[]) {
      const result = await client.call(call, bodies[call] as never, {
        openId: OPEN_ID,
        sceneId: 'cashier-9',
      });
      expect(result.attempts).toBe(1);
    }

    // Assess
    const stored = oc.order('O1', OPEN_ID, APP_KEY);
    // Neither update carries Title or Mtime (docs/contract.md section 8): they stay as the add set them.
    expect(stored?.data).toMatchObject({ Title: order('O1').Title, Status: 200, Mtime: order('O1').Mtime });
    expect(stored?.data.EXT.SubsOrder).toEqual({
      Status: 402,
      Items: [{ ...refund, SubStatus: 402, OrderType: 3 }],
    });
    expect(oc.requests.map((r) => r.path)).toEqual([
      '/rest/2.0/smartapp/ordercenter/app/add/main/info',
      '/rest/2.0/smartapp/ordercenter/app/update/main/info',
      '/rest/2.0/smartapp/ordercenter/app/update/main/status',
      '/rest/2.0/smartapp/ordercenter/app/append/sub/info',
      '/rest/2.0/smartapp/ordercenter/app/update/sub/info',
      '/rest/2.0/smartapp/ordercenter/app/update/sub/status',
      '/rest/2.0/smartapp/ordercenter/app/add/main/logistics',
    ]);
    expect(stored?.logistics).toEqual([SHIPMENT]);
    expect(oc.requests[0]!.query).toMatchObject({
      open_id: OPEN_ID,
      scene_id: 'cashier-9',
      scene_type: '2',
      pm_app_key: 'cashier-app-key',
    });
    expect(oc.requests[0]!.query.access_token).toEqual(expect.any(String));
  });
});

describe('failures end in the right typed error after the right number of attempts', () => {
  it('answers rows_affected "0" for an update of an order Baidu lacks, without retrying', async () => {
    // Act
    const error = await client
      .call('update/main/status', { Data: [{ ...key('missing'), Status: 6 }] }, { openId: OPEN_ID })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(OrderNotFoundError);
    expect(error).toMatchObject({ kind: 'not-found', attempts: 1, items: [{ resource_id: 'missing' }] });
    expect(received('update/main/status')).toHaveLength(1);
  });

  it('retries a 5xx and succeeds', async () => {
    // Prepare
    oc.setFaults({ failNext: ['5xx', '5xx'] });

    // Act
    const result = await client.call('add/main/info', { Data: [order('O2')] }, { openId: OPEN_ID });

    // Assess
    expect(result.attempts).toBe(3);
    expect(received('add/main/info').map((r) => r.status)).toEqual([
      expect.any(Number),
      expect.any(Number),
      200,
    ]);
    expect(
      received('add/main/info')
        .slice(0, 2)
        .every((r) => r.status >= 500),
    ).toBe(true);
    expect(oc.order('O2', OPEN_ID, APP_KEY)).toBeDefined();
  });

  it('retries a busy errno and succeeds', async () => {
    // Prepare
    oc.setFaults({ failNext: ['busy'] });

    // Act
    const result = await client.call('add/main/info', { Data: [order('O3')] }, { openId: OPEN_ID });

    // Assess
    expect(result.attempts).toBe(2);
    expect(received('add/main/info')).toHaveLength(2);
  });

  it('gives up on transient failures after maxAttempts, as a transient error', async () => {
    // Prepare
    oc.setFaults({ http5xxRate: 1 });

    // Act
    const error = await client
      .call('add/main/info', { Data: [order('O4')] }, { openId: OPEN_ID })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TransientOrderCenterError);
    expect(error).toMatchObject({ attempts: 4 });
    expect(received('add/main/info')).toHaveLength(4);
  });

  it('times out a hanging request and retries it', async () => {
    // Prepare
    oc.setFaults({ failNext: ['hang'] });

    // Act
    const result = await client.call('add/main/info', { Data: [order('O5')] }, { openId: OPEN_ID });

    // Assess
    expect(result.attempts).toBe(2);
    expect(received('add/main/info')).toHaveLength(2);
  });

  it('never outlives the deadline it is given', async () => {
    // Prepare
    oc.setFaults({ hangRate: 1 });
    const started = Date.now();

    // Act
    const error = await client
      .call('add/main/info', { Data: [order('O6')] }, { openId: OPEN_ID }, { deadline: started + 500 })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TransientOrderCenterError);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('sends nothing when reading the token outlasts the deadline', async () => {
    // Prepare: SSM takes 2 s to answer; the caller has 150 ms
    const slow = {
      getToken: () =>
        new Promise<string>((resolve) => setTimeout(() => resolve(oc.issueToken(APP_KEY)), 2_000)),
      invalidate: () => undefined,
    };
    const patient = createOrderCenterClient({ baseUrl: oc.url, tokens: slow });
    const started = Date.now();

    // Act
    const error = await patient
      .call('add/main/info', { Data: [order('O13')] }, { openId: OPEN_ID }, { deadline: started + 150 })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TransientOrderCenterError);
    expect(error).toMatchObject({ attempts: 0 });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(oc.requests).toHaveLength(0);
  });

  it('refetches the token once when Baidu says it expired, and succeeds', async () => {
    // Prepare
    await tokens.getToken();
    oc.expireTokens();

    // Act
    const result = await client.call('add/main/info', { Data: [order('O7')] }, { openId: OPEN_ID });

    // Assess
    expect(result.attempts).toBe(2);
    expect(tokens.fetches).toBe(2);
    expect(received('add/main/info').map((r) => r.reply)).toEqual([
      expect.objectContaining({ error_code: 111 }),
      expect.objectContaining({ errno: 0 }),
    ]);
  });

  it('gives up with a token error when the refetched token is refused too', async () => {
    // Prepare
    oc.setFaults({ failNext: ['token-expired', 'token-expired'] });

    // Act
    const error = await client
      .call('add/main/info', { Data: [order('O8')] }, { openId: OPEN_ID })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TokenRejectedError);
    expect(error).toMatchObject({ kind: 'token', attempts: 2, errorCode: 111 });
    expect(received('add/main/info')).toHaveLength(2);
  });

  it('does not retry a permanent error', async () => {
    // Prepare
    oc.setFaults({ failNext: ['param'] });

    // Act
    const error = await client
      .call('add/main/info', { Data: [order('O9')] }, { openId: OPEN_ID })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PermanentOrderCenterError);
    expect(error).toMatchObject({ kind: 'permanent', attempts: 1, errno: 2002 });
    expect(received('add/main/info')).toHaveLength(1);
  });

  it.each([
    ['quota', QuotaExceededError, 'quota'],
    ['unknown-code', UnknownReplyError, 'unknown'],
  ] as const)(
    'does not retry a %s answer in the request: the order waits on its own schedule',
    async (fault, type, kind) => {
      // Prepare
      oc.setFaults({ failNext: [fault] });

      // Act
      const error = await client
        .call('add/main/info', { Data: [order('O9')] }, { openId: OPEN_ID })
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject({ kind, attempts: 1 });
      expect(received('add/main/info')).toHaveLength(1);
    },
  );

  it('fails for good, naming ORDER_CENTER_BASE_URL, when the base URL is not the Order Center', async () => {
    // Prepare: the local Order Center's origin with a path prefix, where nothing answers Baidu's calls
    const wrong = createOrderCenterClient({
      baseUrl: `${oc.url}/not-baidu`,
      tokens: localTokens(oc, APP_KEY),
    });

    // Act
    const error = await wrong
      .call('add/main/info', { Data: [order('O9')] }, { openId: OPEN_ID })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PermanentOrderCenterError);
    expect(error).toMatchObject({ kind: 'permanent', attempts: 1 });
    expect((error as Error).message).toContain('ORDER_CENTER_BASE_URL');
  });

  it('never sends a body our schema rejects', async () => {
    // Prepare
    const bad = order('O10');
    bad.EXT.MainOrder.Payment.Amount += 1;

    // Act
    const error = await client
      .call('add/main/info', { Data: [bad] }, { openId: OPEN_ID })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RejectedBodyError);
    expect((error as RejectedBodyError).issues[0]?.path).toBe('Data[0].EXT.MainOrder.Payment.Amount');
    expect(oc.requests).toHaveLength(0);
  });

  it('keeps the defaults of options given as undefined', async () => {
    // Prepare
    const wired = createOrderCenterClient({ baseUrl: oc.url, tokens, fetch: undefined, now: undefined });

    // Act
    const result = await wired.call('add/main/info', { Data: [order('O12')] }, { openId: OPEN_ID });

    // Assess
    expect(result.attempts).toBe(1);
  });

  it('treats a connection refused as transient', async () => {
    // Prepare
    const offline = createOrderCenterClient({
      baseUrl: 'http://127.0.0.1:9',
      tokens,
      maxAttempts: 2,
      baseDelayMs: 1,
    });

    // Act
    const error = await offline
      .call('add/main/info', { Data: [order('O11')] }, { openId: OPEN_ID })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TransientOrderCenterError);
    expect(error).toMatchObject({ attempts: 2 });
  });
});

describe('the shared call budget', () => {
  it.each([
    ['errno 50029', { errno: 50029, msg: 'call quota exceeded' }],
    [
      'the gateway QPS limit (error_code 18)',
      { error_code: 18, error_msg: 'Open api qps request limit reached' },
    ],
    [
      'the gateway daily limit (error_code 17)',
      { error_code: 17, error_msg: 'Open api daily request limit reached' },
    ],
  ])('on %s: pauses everyone, and does not retry at once', async (_label, reply) => {
    // Prepare
    let sent = 0;
    let paused = 0;
    const quota = createOrderCenterClient({
      baseUrl: 'http://127.0.0.1:9',
      tokens,
      fetch: () => {
        sent += 1;
        return Promise.resolve(new Response(JSON.stringify(reply), { status: 200 }));
      },
      budget: { take: () => Promise.resolve(true), pause: () => Promise.resolve(void (paused += 1)) },
    });

    // Act
    const error = await quota
      .call('add/main/info', { Data: [order('Q1')] }, { openId: OPEN_ID })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toMatchObject({ kind: 'quota', attempts: 1 });
    expect([sent, paused]).toEqual([1, 1]);
  });

  it('makes no attempt when the budget has no slot before the deadline', async () => {
    // Prepare
    const broke = createOrderCenterClient({
      baseUrl: oc.url,
      tokens,
      budget: { take: () => Promise.resolve(false), pause: () => Promise.resolve() },
    });

    // Act
    const error = await broke
      .call('add/main/info', { Data: [order('Q2')] }, { openId: OPEN_ID })
      .catch((e: unknown) => e);

    // Assess: nothing sent, and no attempt counted (the order is not penalised for the budget)
    expect(error).toMatchObject({ kind: 'transient', attempts: 0 });
    expect(received('add/main/info')).toHaveLength(0);
  });
});
