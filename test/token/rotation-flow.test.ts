import { handler as reconcile } from '../../functions/reconcile';
import { handler as rotateToken } from '../../functions/rotateToken';
import type { Fact } from '../../lib/events/types';
import { pushOrder } from '../../lib/sync/push';
import { mismatches } from '../helpers/convergence';
import { uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { lifecycle, seeded } from '../helpers/lifecycles';
import { startStackForHandlers } from '../helpers/stack';
import { captureLogs } from '../http/helpers';

let stack: Awaited<ReturnType<typeof startStackForHandlers>>;
/** The handlers' JSON log lines and metrics, kept out of jest's output (and read where they matter). */
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  stack = await startStackForHandlers();
  logs = captureLogs();
});

afterAll(async () => {
  logs.restore();
  await stack.stopAndRestore();
});

function orders(count: number, seed: number): Map<string, Fact[]> {
  const random = seeded(seed);
  const prefix = uniqueId('tok');
  const byOrder = new Map<string, Fact[]>();
  for (let i = 0; i < count; i++) {
    const orderId = `${prefix}-${i}`;
    byOrder.set(orderId, lifecycle({ orderId, openId: `${prefix}-u${i % 3}`, category: 'physical', random }));
  }
  return byOrder;
}

function tokenReplies() {
  return stack.orderCenter.requests.filter((r) => (r.reply as { error_code?: number })?.error_code === 111);
}

describe('the access token expiring in the middle of a run of pushes', () => {
  it('rotateToken renews it, and every push that failed on it succeeds on retry: none lost', async () => {
    // Prepare: half the orders go out on the first token
    const byOrder = orders(10, 1);
    const ids = [...byOrder.keys()];
    const { ledger, sync } = stack.service;
    for (const facts of byOrder.values()) for (const f of facts) await ledger.recordFact(f);
    for (const orderId of ids.slice(0, 5)) {
      expect((await pushOrder(sync, orderId, { deadline: Date.now() + 3000 })).state).toBe('synced');
    }

    // Act: Baidu expires the token; the other half fail on it; rotateToken runs; reconcile retries
    stack.orderCenter.expireTokens();
    stack.orderCenter.clearRequests();
    const failed = [];
    for (const orderId of ids.slice(5))
      failed.push(await pushOrder(sync, orderId, { deadline: Date.now() + 3000 }));
    const refusedBeforeRotation = tokenReplies().length;
    const rotated = await rotateToken({}, lambdaContext('rotateToken'));
    const summary = await reconcile({ orderIds: ids.slice(5) }, lambdaContext('reconcile'));

    // Assess
    expect(failed.map((f) => [f.state, f.error?.kind])).toEqual(Array(5).fill(['pending', 'token']));
    // each failed push refetched the token once and retried once: two refusals per push
    expect(refusedBeforeRotation).toBe(10);
    // after rotation, a container still holding the old token is refused once per push, then refetches
    expect(stack.ssm.requests.filter((r) => r.target === 'GetParameter').length).toBeGreaterThan(1);
    expect(stack.orderCenter.requests.filter((r) => r.call === 'oauth/token')).toHaveLength(1);
    expect(rotated).toMatchObject({ parameter: stack.env.ACCESS_TOKEN_PARAM, expiresAt: expect.any(String) });
    // The rotation is logged, and the token it stored never is.
    expect(logs.lines()).toContainEqual(expect.objectContaining({ message: 'access token rotated' }));
    const token = stack.ssm.get(stack.env.ACCESS_TOKEN_PARAM!);
    expect(token).toBeTruthy();
    expect(logs.text()).not.toContain(token);
    expect(summary).toMatchObject({ due: 5, confirmed: 5 });
    expect(mismatches(stack.orderCenter, byOrder, stack.appKey)).toEqual([]);
  });

  it("rotateToken fails the invocation with Baidu's message when the OAuth endpoint refuses", async () => {
    // Prepare: SSM holds a wrong AppSecret
    stack.ssm.put(stack.env.APP_SECRET_PARAM!, 'not-the-secret');

    // Act
    const error = await rotateToken({}, lambdaContext('rotateToken')).catch((e: unknown) => e);
    stack.ssm.put(stack.env.APP_SECRET_PARAM!, stack.secrets.appSecret);

    // Assess
    expect(error).toMatchObject({ name: 'OAuthError' });
    expect(String((error as Error).message)).toMatch(/invalid_client/);
    expect(String((error as Error).message)).not.toContain('not-the-secret');
  });
});

describe('a cold token cache under load', () => {
  it('makes one SSM read for 100 concurrent pushes', async () => {
    // Prepare
    const byOrder = orders(100, 2);
    const { ledger } = stack.service;
    for (const facts of byOrder.values()) await ledger.recordFact(facts[0]!);
    stack.ssm.clearRequests();
    // A fresh service: its token cache is cold, as a new container's. What is tested is the token cache:
    // a call budget that spreads 100 pushes over seconds of claims (BAIDU_MAX_QPS, test/budget has its own
    // tests) would only race the deadline on a loaded machine.
    const { sync } = stack.serviceWith({ baiduMaxQps: 1000 });

    // Act
    const outcomes = await Promise.all(
      [...byOrder.keys()].map((orderId) => pushOrder(sync, orderId, { deadline: Date.now() + 10_000 })),
    );

    // Assess
    expect(outcomes.filter((o) => o.state !== 'synced')).toEqual([]);
    const reads = stack.ssm.requests.filter(
      (r) => r.target === 'GetParameter' && r.name === stack.env.ACCESS_TOKEN_PARAM,
    );
    expect(reads).toHaveLength(1);
  });
});
