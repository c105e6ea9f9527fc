import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CashierQueryError,
  createCashierQueryClient,
  FIND_BY_TP_ORDER_ID_PATH,
  type QueryBudget,
} from '../../lib/cashier';
import type { AccessTokenProvider } from '../../lib/token/provider';
import { startLocalOrderCenter, type LocalOrderCenter } from '../../local/order-center';
import { localTokens } from '../helpers/order-center';

// The Go SDK's findByTpOrderId (openapi/findByTpOrderId.go): see test/fixtures/cashier/find-by-tp-order-id.
const FIXTURE = path.join(__dirname, '../fixtures/cashier/find-by-tp-order-id');
const GO_QUERY = readFileSync(path.join(FIXTURE, 'request.query.txt'), 'utf8');
const GO_REPLY = readFileSync(path.join(FIXTURE, 'reply.paid.json'), 'utf8');
const GO_PARAMS = new URLSearchParams(GO_QUERY);
const TOKEN = GO_PARAMS.get('access_token') as string;
const TP_ORDER_ID = GO_PARAMS.get('tpOrderId') as string;
const PM_APP_KEY = GO_PARAMS.get('pmAppKey') as string;

/** Tokens that hand out TOKEN, then `-2` after an invalidation. */
function fixedTokens(): AccessTokenProvider & { invalidated: string[] } {
  let current = TOKEN;
  const invalidated: string[] = [];
  return {
    invalidated,
    getToken: () => Promise.resolve(current),
    invalidate(token) {
      invalidated.push(token);
      current = `${TOKEN}-2`;
    },
  };
}

/** A fetch that answers the scripted replies in turn and keeps the URLs it was asked. */
function scripted(...replies: ({ status?: number; body: string } | Error)[]) {
  const urls: URL[] = [];
  const fetch = (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit): Promise<Response> => {
    urls.push(new URL(String(input)));
    expect(init?.method).toBe('GET');
    const next = replies.shift();
    if (!next) throw new Error('no reply scripted');
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve(new Response(next.body, { status: next.status ?? 200 }));
  };
  return { fetch: fetch as typeof globalThis.fetch, urls };
}

const client = (fetch: typeof globalThis.fetch, extra: { budget?: QueryBudget } = {}) =>
  createCashierQueryClient({
    baseUrl: 'https://openapi.baidu.com/',
    tokens: fixedTokens(),
    pmAppKey: PM_APP_KEY,
    fetch,
    ...extra,
  });

describe('findByTpOrderId against the Go SDK golden fixture', () => {
  it("sends exactly the SDK's parameters, on its path, with GET", async () => {
    // Prepare
    const { fetch, urls } = scripted({ body: GO_REPLY });

    // Act
    await client(fetch).findByTpOrderId(TP_ORDER_ID);

    // Assess
    expect(urls[0]?.origin + (urls[0]?.pathname ?? '')).toBe(
      `https://openapi.baidu.com${FIND_BY_TP_ORDER_ID_PATH}`,
    );
    expect(urls[0]?.search.slice(1)).toBe(GO_QUERY);
  });

  it("reads the SDK's reply, int64 ids to the last digit", async () => {
    // Prepare
    const { fetch } = scripted({ body: GO_REPLY });

    // Act
    const result = await client(fetch).findByTpOrderId(TP_ORDER_ID);

    // Assess
    expect(result).toEqual({
      found: true,
      attempts: 1,
      answer: {
        tpOrderId: TP_ORDER_ID,
        orderId: '9223372036854775801',
        status: 2,
        totalMoney: 2390,
        payMoney: 2290,
        userId: '9007199254740993',
        dealId: '470193086',
      },
    });
  });
});

describe("findByTpOrderId failures, classified as the Order Center's", () => {
  const reply = (body: unknown, status = 200) => ({ status, body: JSON.stringify(body) });
  // [name, the reply, the error kind]
  it.each<[string, { status?: number; body: string } | Error, string]>([
    ['busy (errno 1000)', reply({ errno: 1000, msg: 'busy', data: {} }), 'transient'],
    ['HTTP 502 from the gateway', { status: 502, body: '<html>502</html>' }, 'transient'],
    ['no reply (network)', Object.assign(new Error('socket hang up'), { name: 'TypeError' }), 'transient'],
    ['parameter invalid (errno 2002)', reply({ errno: 2002, msg: 'param error', data: {} }), 'permanent'],
    ['no permission (errno 6001)', reply({ errno: 6001, msg: 'no permission', data: {} }), 'permanent'],
    ['QPS quota (error_code 18)', reply({ error_code: 18, error_msg: 'qps' }), 'quota'],
    ['an undocumented errno', reply({ errno: 31337, msg: '?', data: {} }), 'unknown'],
    [
      'an answer about another order',
      reply({ errno: 0, msg: 'success', data: { ...JSON.parse(GO_REPLY).data, tpOrderId: 'other' } }),
      'permanent',
    ],
    [
      'an answer without amounts',
      reply({ errno: 0, msg: 'success', data: { orderId: 1, tpOrderId: TP_ORDER_ID, status: 2 } }),
      'permanent',
    ],
  ])('%s', async (_name, answer, kind) => {
    // Prepare
    const { fetch } = scripted(answer);

    // Act
    const failure = await client(fetch)
      .findByTpOrderId(TP_ORDER_ID)
      .catch((err: unknown) => err);

    // Assess
    expect(failure).toBeInstanceOf(CashierQueryError);
    expect((failure as CashierQueryError).kind).toBe(kind);
    expect((failure as CashierQueryError).message).not.toContain(TOKEN);
  });

  it('is no error but "not found" for errno 10002 (the buyer never reached the cashier)', async () => {
    const { fetch } = scripted(reply({ errno: 10002, msg: 'order not found', data: {} }));
    await expect(client(fetch).findByTpOrderId(TP_ORDER_ID)).resolves.toEqual({ found: false, attempts: 1 });
  });

  it('fetches the token again once when Baidu says it expired, and asks with the new one', async () => {
    // Prepare
    const { fetch, urls } = scripted(reply({ error_code: 111, error_msg: 'expired' }), { body: GO_REPLY });

    // Act
    const result = await client(fetch).findByTpOrderId(TP_ORDER_ID);

    // Assess
    expect(result.found).toBe(true);
    expect(urls.map((u) => u.searchParams.get('access_token'))).toEqual([TOKEN, `${TOKEN}-2`]);
  });

  it('asks nothing when the shared budget has no slot before the deadline, and pauses everyone on a quota error', async () => {
    // Prepare
    const paused: boolean[] = [];
    const empty: QueryBudget = { take: () => Promise.resolve(false), pause: () => Promise.resolve() };
    const full: QueryBudget = {
      take: () => Promise.resolve(true),
      pause: () => {
        paused.push(true);
        return Promise.resolve();
      },
    };
    const none = scripted();
    const quota = scripted(reply({ errno: 50029, msg: 'quota', data: {} }));

    // Act
    const refused = await client(none.fetch, { budget: empty })
      .findByTpOrderId(TP_ORDER_ID)
      .catch((err: unknown) => err);
    const limited = await client(quota.fetch, { budget: full })
      .findByTpOrderId(TP_ORDER_ID)
      .catch((err: unknown) => err);

    // Assess
    expect((refused as CashierQueryError).kind).toBe('transient');
    expect(none.urls).toHaveLength(0);
    expect((limited as CashierQueryError).kind).toBe('quota');
    expect(paused).toEqual([true]);
  });
});

describe('findByTpOrderId against the local cashier', () => {
  let oc: LocalOrderCenter;
  beforeAll(async () => {
    oc = await startLocalOrderCenter({ apps: [{ appKey: 'app', appSecret: 'secret' }] });
  });
  afterAll(async () => {
    await oc.stop();
  });

  it('answers the payments it knows (paid or not) and 10002 for the rest', async () => {
    // Prepare
    const tokens = localTokens(oc, 'app');
    const cashier = createCashierQueryClient({ baseUrl: oc.url, tokens, pmAppKey: 'pm' });
    const paid = oc.recordPayment({ tpOrderId: 'local-1', totalMoney: 990, orderId: '9223372036854775806' });
    oc.recordPayment({ tpOrderId: 'local-2', totalMoney: 10, status: 1 });

    // Act
    const one = await cashier.findByTpOrderId('local-1');
    const two = await cashier.findByTpOrderId('local-2');
    const three = await cashier.findByTpOrderId('local-3');

    // Assess
    expect(one).toMatchObject({ found: true, answer: { orderId: paid.orderId, status: 2, totalMoney: 990 } });
    expect(two).toMatchObject({ found: true, answer: { status: 1 } });
    expect(three).toEqual({ found: false, attempts: 1 });
  });

  it('refuses an expired token as Baidu does, and the client gets a fresh one', async () => {
    // Prepare
    const tokens = localTokens(oc, 'app');
    const cashier = createCashierQueryClient({ baseUrl: oc.url, tokens, pmAppKey: 'pm' });
    oc.recordPayment({ tpOrderId: 'local-4', totalMoney: 5 });
    await tokens.getToken();
    oc.expireTokens();

    // Act
    const result = await cashier.findByTpOrderId('local-4');

    // Assess
    expect(result.found).toBe(true);
    expect(tokens.fetches).toBe(2);
  });

  it('refuses a bad payment handed to it, naming the field', () => {
    expect(() => oc.recordPayment({ tpOrderId: 'x', totalMoney: -1, orderId: 'not-digits' })).toThrow(
      /invalid cashier payment/,
    );
  });
});
