import type { Fact } from '../../lib/events/types';
import { createDynamoLedger } from '../../lib/ledger/dynamo-ledger';
import type { Ledger } from '../../lib/ledger/types';
import { createOrderCenterClient } from '../../lib/order-center/client';
import { project } from '../../lib/projection';
import { pushOrder, type SyncDependencies } from '../../lib/sync/push';
import { createLedgerTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamo';
import { startLocalOrderCenter, type LocalOrderCenter } from '../../local/order-center';
import { addsAndMisses, duplicatedSubOrders, mismatches, normalized } from '../helpers/convergence';
import { uniqueId } from '../helpers/facts';
import { recordFirstReleaseFact } from '../ledger/first-release';
import { lifecycle, seeded, shuffle } from '../helpers/lifecycles';
import { localTokens } from '../helpers/order-center';

const APP_KEY = 'push-test-app';

let dynamo: LocalDynamo;
let oc: LocalOrderCenter;
let ledger: Ledger;
let deps: SyncDependencies;
let tokens: ReturnType<typeof localTokens>;
const tableName = uniqueId('push');

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await createLedgerTable(dynamo.client, tableName);
  ledger = createDynamoLedger({ client: dynamo.client, tableName });
  oc = await startLocalOrderCenter({ apps: [{ appKey: APP_KEY, appSecret: 'secret' }] });
});

afterAll(async () => {
  await Promise.all([dynamo.stop(), oc.stop()]);
});

beforeEach(() => {
  oc.reset();
  tokens = localTokens(oc, APP_KEY);
  const client = createOrderCenterClient({
    baseUrl: oc.url,
    tokens,
    callTimeoutMs: 200,
    baseDelayMs: 2,
    maxDelayMs: 10,
  });
  deps = { ledger, client, bizAppId: APP_KEY, random: () => 0.5 };
});

const soon = () => Date.now() + 5_000;

function order(orderId = uniqueId('order'), seed = 1): Fact[] {
  // A fixed seed whose lifecycle has a refund and ends completed.
  return lifecycle({ orderId, openId: `user-${orderId}`, category: 'physical', random: seeded(seed) });
}

function lifeWithRefund(): Fact[] {
  for (let seed = 1; ; seed++) {
    const facts = order(uniqueId('order'), seed);
    if (facts.some((f) => f.kind === 'refund-requested') && facts.at(-1)?.kind === 'completed') return facts;
  }
}

async function recordAndPush(facts: readonly Fact[], options: { force?: boolean } = {}) {
  for (const f of facts) await ledger.recordFact(f);
  return pushOrder(deps, facts[0]!.orderId, { deadline: soon(), ...options });
}

function callsSent() {
  return oc.requests.filter((r) => r.call && r.call !== 'oauth/token').map((r) => r.call);
}

describe('pushOrder sends exactly what Baidu lacks', () => {
  it('adds a new order whole, once, and marks it synced', async () => {
    // Prepare
    const facts = lifeWithRefund().slice(0, 2);

    // Act
    const outcome = await recordAndPush(facts);

    // Assess
    expect(outcome).toMatchObject({ state: 'synced', calls: [{ call: 'add/main/info', ok: true }] });
    expect(mismatches(oc, new Map([[facts[0]!.orderId, facts]]), APP_KEY)).toEqual([]);
    expect((await ledger.get(facts[0]!.orderId))?.syncState).toBe('synced');
  });

  it('follows the order through its life with the minimal calls, never resending it whole', async () => {
    // Prepare
    const facts = lifeWithRefund();
    const orderId = facts[0]!.orderId;

    // Act: one push per fact, as the webhooks would
    for (const f of facts) await recordAndPush([f]);

    // Assess
    const kinds = facts.map((f) => f.kind);
    expect(kinds).toEqual([
      'placed',
      'paid',
      'shipped',
      'refund-requested',
      'refund-updated',
      'refund-updated',
      'completed',
    ]);
    // Paid changes the payment block (content); shipped and completed only the status; each after-sale
    // change goes out alone. The Mtime it moves is no reason for an update/main/status: no call carries
    // Mtime alone (docs/contract.md section 8).
    expect(callsSent()).toEqual([
      'add/main/info', // placed
      'update/main/info', // paid
      'update/main/status', // shipped
      'add/main/logistics', // its parcel, once the status is out
      'append/sub/info', // refund requested
      'update/sub/status', // refund processing
      'add/main/logistics', // the buyer's parcel back, sent with the processing update
      'update/sub/status', // refund refunded or rejected
      'update/main/status', // completed
    ]);
    expect(callsSent().filter((c) => c === 'add/main/info')).toHaveLength(1);
    expect(mismatches(oc, new Map([[orderId, facts]]), APP_KEY)).toEqual([]);
  });

  it('sends a title revised after payment with a whole add/main/info, after-sale items intact', async () => {
    // Prepare: placed, paid, shipped and a refund requested, all in the Order Center
    const facts = lifeWithRefund().slice(0, 4);
    const orderId = facts[0]!.orderId;
    for (const f of facts) await recordAndPush([f]);
    const before = oc.order(orderId)!.data;
    oc.clearRequests();
    const snapshot = facts[0]!.order!;
    const revised: Fact = {
      eventId: `${orderId}:revised`,
      kind: 'shipped',
      source: 'merchant',
      orderId,
      occurredAt: facts.at(-1)!.occurredAt + 60,
      order: { ...snapshot, title: '丑苹果 礼盒（新包装）' },
    };

    // Act
    const outcome = await recordAndPush([revised]);

    // Assess: only add/main/info carries Title, and it overwrites the after-sale data, so it carries that too
    expect(outcome).toMatchObject({ state: 'synced' });
    expect(callsSent()).toEqual(['add/main/info']);
    const sent = (oc.requests[0]!.body as { Data: { Title: string; EXT: { SubsOrder?: unknown } }[] })
      .Data[0]!;
    expect(sent.Title).toBe('丑苹果 礼盒（新包装）');
    expect(sent.EXT.SubsOrder).toEqual(before.EXT.SubsOrder);
    const after = oc.order(orderId)!.data;
    expect(after.Title).toBe('丑苹果 礼盒（新包装）');
    expect(after.EXT.SubsOrder).toEqual(before.EXT.SubsOrder);
    expect(mismatches(oc, new Map([[orderId, [...facts, revised]]]), APP_KEY)).toEqual([]);
  });

  it('makes no call when nothing changed, and resends whole only when forced', async () => {
    // Prepare
    const facts = lifeWithRefund().slice(0, 3);
    await recordAndPush(facts);
    oc.clearRequests();

    // Act
    const idle = await pushOrder(deps, facts[0]!.orderId, { deadline: soon() });
    const forced = await pushOrder(deps, facts[0]!.orderId, { deadline: soon(), force: true });

    // Assess
    expect(idle).toMatchObject({ state: 'synced', calls: [] });
    // Forced, the parcel goes again too: an operator resyncs what Baidu shows, not only the order's data.
    expect(forced).toMatchObject({
      state: 'synced',
      calls: [{ call: 'add/main/info' }, { call: 'add/main/logistics' }],
    });
    expect(callsSent()).toEqual(['add/main/info', 'add/main/logistics']);
  });

  it('resends the order whole when Baidu answers rows_affected "0" to an update', async () => {
    // Prepare: Baidu loses the order after acknowledging it
    const facts = lifeWithRefund();
    await recordAndPush(facts.slice(0, 1));
    oc.reset();

    // Act
    const outcome = await recordAndPush(facts.slice(1, 4));

    // Assess
    // An order Baidu lacks has no parcel either: the shipment goes again after the whole add.
    expect(outcome.calls.map((c) => [c.call, c.ok])).toEqual([
      ['update/main/info', false],
      ['add/main/info', true],
      ['add/main/logistics', true],
    ]);
    expect(outcome.state).toBe('synced');
    expect(mismatches(oc, new Map([[facts[0]!.orderId, facts.slice(0, 4)]]), APP_KEY)).toEqual([]);
  });

  it('parks a cashier payment that came before the snapshot, and pushes both once the snapshot comes', async () => {
    // Prepare
    const orderId = uniqueId('order');
    const [placed] = order(orderId);
    const notify: Fact = {
      eventId: `cashier:${orderId}:2`,
      kind: 'paid',
      source: 'cashier',
      orderId,
      occurredAt: placed!.occurredAt + 5,
      payment: { paidAt: placed!.occurredAt + 5, amount: 6370, cashierOrderId: 'C1' },
      cashier: {
        orderId: 'C1',
        userId: 'u',
        totalMoney: 6370,
        payMoney: 6370,
        dealId: 'd',
        payTime: placed!.occurredAt + 5,
        status: 2,
      },
    };

    // Act
    const parked = await recordAndPush([notify]);
    const pushed = await recordAndPush([placed!]);

    // Assess
    expect(parked).toMatchObject({ state: 'waiting', calls: [] });
    expect(pushed).toMatchObject({ state: 'synced', calls: [{ call: 'add/main/info' }] });
    expect(oc.order(orderId, placed!.order!.openId, APP_KEY)?.data).toMatchObject({
      Status: 5,
      EXT: { MainOrder: { Payment: { IsPayment: true, Amount: 6370 } } },
    });
    expect(oc.requests.find((r) => r.call === 'add/main/info')?.query).toMatchObject({
      scene_id: 'C1',
      scene_type: '2',
    });
  });
});

describe('pushOrder when its outcome cannot be recorded', () => {
  it('ends failed, with why, instead of leaving the lease to run out and pushing again for ever', async () => {
    // Prepare: facts recorded as the first release accepted them (before the amount caps): Baidu takes the
    // order, but its Payment.Amount (1000 × 9007199254740991) is no number DynamoDB can be given exactly
    const orderId = uniqueId('unrecordable');
    const [placed] = order(orderId);
    const item = placed!.order!.items[0]!;
    const snapshot = {
      ...placed!.order!,
      items: [{ ...item, quantity: 1000, price: 9007199254740991, payPrice: 9007199254740991 }],
      fees: [],
      discounts: [],
    };
    // (in the first release's shape: today's ledger keeps the snapshot's amount, so it refuses such a fact)
    await recordFirstReleaseFact(dynamo.client, tableName, { ...placed!, order: snapshot }, Date.now());

    // Act
    const outcome = await pushOrder(deps, orderId, { deadline: soon() });
    const again = await pushOrder(deps, orderId, { deadline: soon() });

    // Assess: failed once and for all, not leased, in the failed queue the report reads, due no more
    expect(outcome).toMatchObject({ state: 'failed', error: { kind: 'unrecordable' } });
    const stored = await ledger.get(orderId);
    expect(stored).toMatchObject({ syncState: 'failed', lastError: { kind: 'unrecordable' } });
    expect(stored?.leaseOwner).toBeUndefined();
    const failed = await ledger.queryQueue('failed');
    expect(failed.entries.map((e) => e.orderId)).toContain(orderId);
    const pending = await ledger.queryQueue('pending', { dueBy: Date.now() + 3_600_000 });
    expect(pending.entries.map((e) => e.orderId)).not.toContain(orderId);
    expect(again.state).toBe('failed');
  });
});

describe('pushOrder when the Order Center fails', () => {
  it('marks a permanent refusal failed with the reason, and a new fact makes the order due again', async () => {
    // Prepare
    const facts = lifeWithRefund();
    oc.setFaults({ failNext: ['param'] });

    // Act
    const failed = await recordAndPush(facts.slice(0, 1));
    const item = await ledger.get(facts[0]!.orderId);
    const retried = await recordAndPush(facts.slice(1, 2));

    // Assess
    expect(failed).toMatchObject({ state: 'failed', error: { kind: 'permanent' } });
    expect(item).toMatchObject({ syncState: 'failed', lastError: { kind: 'permanent' } });
    expect(item?.lastError?.message).toContain('2002');
    expect(retried.state).toBe('synced');
  });

  it('backs off after transient failures and declares the order dead after too many', async () => {
    // Prepare
    const facts = lifeWithRefund().slice(0, 1);
    const orderId = facts[0]!.orderId;
    oc.setFaults({ http5xxRate: 1 });
    deps = { ...deps, backoff: { baseMs: 1000, maxMs: 8000, maxAttempts: 3 } };

    // Act
    const first = await recordAndPush(facts);
    const afterFirst = await ledger.get(orderId);
    await pushOrder(deps, orderId, { deadline: soon() });
    const third = await pushOrder(deps, orderId, { deadline: soon() });

    // Assess
    expect(first).toMatchObject({ state: 'pending', error: { kind: 'transient' } });
    expect(afterFirst?.attempts).toBe(1);
    expect(afterFirst!.nextAttemptAt - afterFirst!.updatedAt).toBeGreaterThanOrEqual(500);
    expect(third.state).toBe('dead');
    expect(await ledger.get(orderId)).toMatchObject({ syncState: 'dead', attempts: 3 });
  });

  it('never outlives its deadline, and leaves the order due without counting a failure', async () => {
    // Prepare
    const facts = lifeWithRefund().slice(0, 1);
    oc.setFaults({ hangRate: 1 });
    for (const f of facts) await ledger.recordFact(f);
    const started = Date.now();

    // Act
    const outcome = await pushOrder(deps, facts[0]!.orderId, { deadline: started + 600 });

    // Assess
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outcome.state).toBe('pending');
  });

  it('lets only one of two simultaneous pushers push an order', async () => {
    // Prepare
    const facts = lifeWithRefund().slice(0, 2);
    for (const f of facts) await ledger.recordFact(f);
    oc.setFaults({ latencyMs: 100 });

    // Act
    const outcomes = await Promise.all([
      pushOrder(deps, facts[0]!.orderId, { deadline: soon() }),
      pushOrder(deps, facts[0]!.orderId, { deadline: soon() }),
    ]);

    // Assess
    expect(outcomes.map((o) => o.state).sort()).toEqual(['busy', 'synced']);
    expect(callsSent()).toEqual(['add/main/info']);
  });

  it('converges under 5xx, busy, timeouts, an expired token and rows_affected "0": nothing lost or duplicated', async () => {
    // Prepare: 30 orders, their facts shuffled together
    const random = seeded(42);
    const byOrder = new Map<string, Fact[]>();
    for (let i = 0; i < 30; i++) {
      const orderId = uniqueId('storm');
      byOrder.set(
        orderId,
        lifecycle({ orderId, openId: `user-${i % 7}`, category: i % 3 ? 'physical' : 'virtual', random }),
      );
    }
    const all = shuffle([...byOrder.values()].flat(), random);
    oc.setFaults({
      http5xxRate: 0.2,
      busyRate: 0.1,
      hangRate: 0.05,
      rowsAffectedZeroRate: 0.1,
      random: seeded(7),
    });
    deps = { ...deps, backoff: { baseMs: 1, maxMs: 1, maxAttempts: 1000 } };

    // Act: each fact is recorded and pushed (as a webhook would); halfway the token expires
    for (const [i, f] of all.entries()) {
      if (i === Math.floor(all.length / 2)) oc.expireTokens();
      await ledger.recordFact(f);
      await pushOrder(deps, f.orderId, { deadline: Date.now() + 1_000 });
    }
    oc.resetFaults();
    // then reconcile-like rounds until nothing is left
    for (let round = 0; round < 5; round++) {
      for (const orderId of byOrder.keys()) {
        if ((await ledger.get(orderId))?.syncState !== 'synced')
          await pushOrder(deps, orderId, { deadline: soon() });
      }
    }

    // Assess: the faults did happen, and yet
    const faults = new Set(oc.requests.map((r) => r.fault));
    expect(['5xx', 'busy', 'hang', 'rows0'].every((f) => faults.has(f))).toBe(true);
    expect(oc.requests.some((r) => (r.reply as { error_code?: number })?.error_code === 111)).toBe(true);
    expect(mismatches(oc, byOrder, APP_KEY)).toEqual([]);
    expect(duplicatedSubOrders(oc)).toEqual([]);
    for (const [orderId, { adds, misses }] of addsAndMisses(oc)) {
      expect({ orderId, tooManyAdds: adds > 1 + misses }).toEqual({ orderId, tooManyAdds: false });
    }
    for (const stored of oc.orders()) {
      const projected = project(stored.data.ResourceID, byOrder.get(stored.data.ResourceID)!, {
        bizAppId: APP_KEY,
      });
      expect(projected.ready && normalized(stored.data).Status).toBe(
        projected.ready && projected.view.data.Status,
      );
    }
    expect(tokens.fetches).toBeGreaterThan(1);
  });
});
