import type { Fact } from '../../lib/events/types';
import { runReconcile } from '../../lib/reconcile';
import { createOrderCenterClient } from '../../lib/order-center/client';
import type { Service } from '../../lib/service';
import { createLedgerTable } from '../../local/dynamo';
import type { SyncDependencies } from '../../lib/sync/push';
import { reconcileHandler } from '../../functions/reconcile';
import { reconcileWorkerHandler } from '../../functions/reconcileWorker';
import { duplicatedSubOrders, mismatches } from '../helpers/convergence';
import { uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { lifecycle, seeded, shuffle } from '../helpers/lifecycles';
import { startStackForHandlers } from '../helpers/stack';
import { captureLogs } from '../http/helpers';
import { startLocalLambda, type LocalLambda } from '../../local/lambda';

let stack: Awaited<ReturnType<typeof startStackForHandlers>>;
let lambda: LocalLambda;
let deps: SyncDependencies;
/** The handler's JSON log lines and metrics, kept out of jest's output. */
let logs: ReturnType<typeof captureLogs>;
/** this test's service (its own ledger table); reconcile and its workers are wired to it */
let service: Service;
const handler = reconcileHandler(() => service);
const worker = reconcileWorkerHandler(() => service);

beforeAll(async () => {
  stack = await startStackForHandlers();
  logs = captureLogs();
  // The coordinator starts its workers through the Lambda Invoke API: here, on this process's handler.
  lambda = await startLocalLambda({ functions: { reconcileWorker: worker }, timeoutMs: 600_000 });
  process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.url;
});

afterAll(async () => {
  logs.restore();
  await lambda.stop();
  delete process.env.AWS_ENDPOINT_URL_LAMBDA;
  await stack.stopAndRestore();
});

/** `{}` as the schedule sends it: the coordinator starts a worker per shard; resolves once they are done. */
async function reconcileAll(): Promise<unknown> {
  const started = await handler({}, lambdaContext('reconcile'));
  await lambda.idle();
  return started;
}

beforeEach(async () => {
  // Each test gets its own ledger table, so no test sees another's orders.
  const ledgerTable = uniqueId('reconcile');
  await createLedgerTable(stack.dynamo.client, ledgerTable);
  stack.orderCenter.reset();
  service = stack.serviceWith({ ledgerTable });
  // A call timeout far above the stand-in's answer time even on a loaded machine: a timeout that fires on
  // a slow answer makes the client resend an add Baidu already applied (harmless, but not what is tested).
  const client = createOrderCenterClient({
    baseUrl: stack.orderCenter.url,
    tokens: service.tokens,
    callTimeoutMs: 2_000,
    baseDelayMs: 2,
    maxDelayMs: 10,
  });
  // Backoff in milliseconds, so later runs in one test find the failed orders due again.
  deps = { ...service.sync, client, backoff: { baseMs: 1, maxMs: 2, maxAttempts: 100 } };
});

async function record(facts: readonly Fact[]): Promise<void> {
  const { ledger } = service;
  for (const f of facts) await ledger.recordFact(f);
}

/** Orders with their whole lives recorded (and nothing pushed), 10 per user. */
async function recordOrders(count: number, seed: number): Promise<Map<string, Fact[]>> {
  const random = seeded(seed);
  const byOrder = new Map<string, Fact[]>();
  const prefix = uniqueId('r');
  for (let i = 0; i < count; i++) {
    const orderId = `${prefix}-${i}`;
    byOrder.set(
      orderId,
      lifecycle({
        orderId,
        openId: `${prefix}-user-${Math.floor(i / 10)}`,
        category: i % 4 ? 'physical' : 'virtual',
        random,
      }),
    );
  }
  const all = shuffle([...byOrder.values()].flat(), random);
  const { ledger } = service;
  for (let i = 0; i < all.length; i += 32)
    await Promise.all(all.slice(i, i + 32).map((f) => ledger.recordFact(f)));
  return byOrder;
}

// A deadline no run reaches even on a loaded machine (the time bound has a test of its own).
const run = (extra: Partial<Parameters<typeof runReconcile>[1]> = {}) =>
  runReconcile(deps, { deadline: Date.now() + 600_000, batchSize: 10, ...extra });

function statusCalls() {
  return stack.orderCenter.requests.filter((r) => r.call === 'update/main/status');
}

/** Orders that are not synced, or still leased: after convergence, none. */
async function unsettled(ids: Iterable<string>): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) {
    const item = await service.ledger.get(id);
    if (!item || item.syncState !== 'synced' || item.leaseOwner !== undefined) out.push(id);
  }
  return out;
}

/** Every update/main/status call carries one user's orders, at most `batchSize`. */
function batchesOfOneUser(openIds: Map<string, string>, batchSize: number): boolean {
  return statusCalls().every((call) => {
    const ids = (call.body as { Data: { ResourceID: string }[] }).Data.map((d) => d.ResourceID);
    const users = new Set(ids.map((id) => openIds.get(id)));
    return ids.length <= batchSize && users.size === 1 && users.has(call.query.open_id);
  });
}

describe('reconcile', () => {
  it('brings 500 due orders into the Order Center through random failures: none lost or duplicated', async () => {
    // Prepare
    const byOrder = await recordOrders(500, 11);
    stack.orderCenter.setFaults({ http5xxRate: 0.3, busyRate: 0.1, hangRate: 0.02, random: seeded(3) });

    // Act: three runs through the faults, then runs until one finds nothing due
    const first = await run({ concurrency: 16 });
    for (let i = 0; i < 2; i++) await run({ concurrency: 16 });
    stack.orderCenter.resetFaults();
    let last = await run({ concurrency: 16 });
    for (let i = 0; i < 10 && last.due > 0; i++) last = await run({ concurrency: 16 });

    // Assess: outcomes only (how many calls a run needs depends on the faults and on the machine's speed)
    expect(first.due).toBe(500);
    expect(stack.orderCenter.requests.some((r) => r.fault !== undefined)).toBe(true); // the faults did bite
    expect(last.due).toBe(0);
    expect(mismatches(stack.orderCenter, byOrder, stack.appKey)).toEqual([]);
    expect(duplicatedSubOrders(stack.orderCenter)).toEqual([]);
    expect(await unsettled(byOrder.keys())).toEqual([]);
  }, 400_000);

  it('batches status-only changes per user: 200 orders of 20 users in 20 calls, never two users in one', async () => {
    // Prepare: 200 orders placed and paid, 10 per user, already in the Order Center; then all shipped
    const prefix = uniqueId('batch');
    const byOrder = new Map<string, Fact[]>();
    for (let i = 0; i < 200; i++) {
      const orderId = `${prefix}-${i}`;
      const facts = lifecycle({
        orderId,
        openId: `${prefix}-user-${i % 20}`,
        category: 'physical',
        random: seeded(i),
      });
      byOrder.set(
        orderId,
        facts.filter((f) => f.kind === 'placed' || f.kind === 'paid'),
      );
    }
    await record([...byOrder.values()].flat());
    await run();
    stack.orderCenter.clearRequests();
    const shipped: Fact[] = [...byOrder.values()].map((facts) => ({
      eventId: `${facts[0]!.orderId}:shipped`,
      kind: 'shipped',
      source: 'merchant',
      orderId: facts[0]!.orderId,
      occurredAt: facts[0]!.occurredAt + 100_000,
    }));
    await record(shipped);

    // Act: one page holds them all (concurrency x batchSize = 200), so every batch fills
    const summary = await run({ batchSize: 10, concurrency: 20, pageSize: 200 });

    // Assess
    const calls = statusCalls();
    expect(stack.orderCenter.requests.every((r) => r.call === 'update/main/status')).toBe(true);
    expect(calls).toHaveLength(20);
    for (const call of calls) {
      const ids = (call.body as { Data: { ResourceID: string }[] }).Data.map((d) => d.ResourceID);
      const users = new Set(ids.map((id) => byOrder.get(id)![0]!.order!.openId));
      expect([...users]).toEqual([call.query.open_id]);
      expect(ids).toHaveLength(10);
    }
    // The ledger, not the summary, is the outcome: on a loaded machine a write that timed out after it was
    // applied is retried and found taken, and the summary then counts that order as still pending.
    expect(summary).toMatchObject({ due: 200, calls: { 'update/main/status': 20 } });
    expect(await unsettled(byOrder.keys())).toEqual([]);
    for (const f of shipped) byOrder.get(f.orderId)!.push(f);
    expect(mismatches(stack.orderCenter, byOrder, stack.appKey)).toEqual([]);
  }, 300_000);
});

describe('reconcile under load', () => {
  it('never has more calls in flight than its concurrency, batches included', async () => {
    // Prepare: 30 users' status-only changes (batches) and 20 new orders (single pushes)
    const prefix = uniqueId('flight');
    const shippedLater: Fact[] = [];
    for (let i = 0; i < 60; i++) {
      const orderId = `${prefix}-${i}`;
      const [placed] = lifecycle({
        orderId,
        openId: `${prefix}-u${i % 30}`,
        category: 'physical',
        random: seeded(i),
      });
      await record([placed!]);
      shippedLater.push({
        eventId: `${orderId}:s`,
        kind: 'shipped',
        source: 'merchant',
        orderId,
        occurredAt: placed!.occurredAt + 9,
      });
    }
    await run();
    await record(shippedLater);
    await recordOrders(20, 31);
    const openIds = new Map(shippedLater.map((f, i) => [f.orderId, `${prefix}-u${i % 30}`]));
    stack.orderCenter.clearRequests();
    stack.orderCenter.setFaults({ latencyMs: 30 });
    let inFlight = 0;
    let most = 0;
    const counted: SyncDependencies = {
      ...deps,
      client: {
        async call(...args) {
          most = Math.max(most, ++inFlight);
          try {
            return await deps.client.call(...args);
          } finally {
            inFlight -= 1;
          }
        },
      },
    };

    // Act
    const summary = await runReconcile(counted, {
      deadline: Date.now() + 600_000,
      concurrency: 4,
      batchSize: 10,
    });
    stack.orderCenter.resetFaults();

    // Assess
    expect(summary).toMatchObject({ due: 80, confirmed: 80 });
    expect(batchesOfOneUser(openIds, 10)).toBe(true);
    expect(most).toBeLessThanOrEqual(4);
  }, 300_000);
});

describe('reconcile and the ledger', () => {
  it('leases each order once: the push starts from the item the lease returned', async () => {
    // Prepare: three new orders (each needs add/main/info, pushed one by one)
    const byOrder = await recordOrders(3, 41);
    let leases = 0;
    const counted: SyncDependencies = {
      ...deps,
      ledger: {
        ...deps.ledger,
        acquireLease: (...args) => {
          leases += 1;
          return deps.ledger.acquireLease(...args);
        },
      },
    };

    // Act
    const summary = await runReconcile(counted, { deadline: Date.now() + 600_000 });

    // Assess
    expect(summary).toMatchObject({ due: 3, confirmed: 3 });
    expect(leases).toBe(3);
    expect(mismatches(stack.orderCenter, byOrder, stack.appKey)).toEqual([]);
  });
});

describe('reconcile when something fails for one order of a batch', () => {
  /** Orders of one user, already in the Order Center, each with a new status-only fact. */
  async function statusOnlyBatch(count: number): Promise<string[]> {
    const prefix = uniqueId('one');
    const later: Fact[] = [];
    for (let i = 0; i < count; i++) {
      const orderId = `${prefix}-${i}`;
      const [placed] = lifecycle({
        orderId,
        openId: `${prefix}-user`,
        category: 'physical',
        random: seeded(i),
      });
      await record([placed!]);
      later.push({
        eventId: `${orderId}:s`,
        kind: 'shipped',
        source: 'merchant',
        orderId,
        occurredAt: placed!.occurredAt + 9,
      });
    }
    await run();
    await record(later);
    stack.orderCenter.clearRequests();
    return later.map((f) => f.orderId);
  }

  it('pushes each order alone when Baidu refuses the batch for good, so one bad order fails alone', async () => {
    // Prepare: Baidu refuses the next call (the batch) with 2002
    const ids = await statusOnlyBatch(5);
    stack.orderCenter.setFaults({ failNext: ['param'] });

    // Act
    const summary = await run({ batchSize: 10 });

    // Assess
    expect(summary).toMatchObject({ due: 5, confirmed: 5, failed: 0 });
    expect(statusCalls().map((c) => (c.body as { Data: unknown[] }).Data.length)).toEqual([5, 1, 1, 1, 1, 1]);
    for (const id of ids) expect((await service.ledger.get(id))?.syncState).toBe('synced');
  });

  it('still sends the batches it took when the ledger fails for one order, and leaves none leased', async () => {
    // Prepare: the ledger cannot lease the first order
    const ids = await statusOnlyBatch(4);
    const broken: SyncDependencies = {
      ...deps,
      ledger: {
        ...deps.ledger,
        acquireLease: (orderId, owner, until) =>
          orderId === ids[0]
            ? Promise.reject(new Error('ledger down'))
            : deps.ledger.acquireLease(orderId, owner, until),
      },
    };

    // Act
    const summary = await runReconcile(broken, { deadline: Date.now() + 600_000, batchSize: 10 });

    // Assess
    expect(summary).toMatchObject({ due: 4, confirmed: 3, pending: 1 });
    for (const id of ids) expect((await service.ledger.get(id))?.leaseOwner).toBeUndefined();
    expect((await service.ledger.get(ids[0]!))?.syncState).toBe('pending');
  });
});

describe("reconcile and Baidu's quota and undocumented codes", () => {
  async function placedOrders(count: number): Promise<string[]> {
    const prefix = uniqueId('quota');
    const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    for (const [i, orderId] of ids.entries()) {
      const [placed] = lifecycle({
        orderId,
        openId: `${prefix}-user`,
        category: 'physical',
        random: seeded(i),
      });
      await record([placed!]);
    }
    return ids;
  }

  it('counts the orders that hit the quota in its summary, and leaves them for minutes', async () => {
    // Prepare
    const ids = await placedOrders(3);
    stack.orderCenter.setFaults({ failNext: ['quota', 'quota', 'quota'] });
    const start = Date.now();

    // Act
    const summary = await run({ concurrency: 1 });
    const again = await run();

    // Assess
    expect(summary).toMatchObject({ due: 3, quota: 3, pending: 3, confirmed: 0, failed: 0 });
    expect(again).toMatchObject({ due: 0 });
    for (const id of ids) {
      const item = (await service.ledger.get(id))!;
      expect(item).toMatchObject({ syncState: 'pending', attempts: 0, lastError: { kind: 'quota' } });
      expect(item.nextAttemptAt).toBeGreaterThanOrEqual(start + 5 * 60_000);
    }
  });

  it('fails an order after 3 pushes in a row end in an undocumented code, keeping the code and message', async () => {
    // Prepare: one order; the next 3 calls answer errno 31337; minutes between pushes shrunk to 1 ms
    const [id] = await placedOrders(1);
    stack.orderCenter.setFaults({ failNext: ['unknown-code', 'unknown-code', 'unknown-code'] });
    const quick = { ...deps, backoff: { baseMs: 1, maxMs: 2, maxAttempts: 100, unknownCodeMinMs: 1 } };

    // Act
    const states: string[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await runReconcile(quick, { deadline: Date.now() + 60_000 });
      states.push((await service.ledger.get(id!))!.syncState);
    }

    // Assess
    expect(states).toEqual(['pending', 'pending', 'failed']);
    const item = (await service.ledger.get(id!))!;
    expect(item.lastError).toMatchObject({ kind: 'unknown', repeats: 3 });
    expect(item.lastError!.message).toContain('errno 31337: undocumented error');
    expect(stack.orderCenter.requests.filter((r) => r.call === 'add/main/info')).toHaveLength(3);
  });
});

describe('the reconcile function', () => {
  it('dry run: makes no call and changes no item', async () => {
    // Prepare
    const byOrder = await recordOrders(3, 21);
    const [orderId] = byOrder.keys();
    const before = await service.ledger.get(orderId!);

    // Act
    const result = (await handler({ dryRun: true, orderIds: [orderId!] }, lambdaContext('reconcile'))) as {
      orders: { orderId: string; calls: { call: string }[] }[];
    };

    // Assess
    expect(result.orders).toEqual([expect.objectContaining({ orderId, calls: [{ call: 'add/main/info' }] })]);
    expect(stack.orderCenter.requests).toHaveLength(0);
    expect(await service.ledger.get(orderId!)).toEqual(before);
  });

  it('force: resends the named orders whole', async () => {
    // Prepare
    const byOrder = await recordOrders(2, 22);
    const ids = [...byOrder.keys()];
    await handler({ orderIds: ids }, lambdaContext('reconcile'));
    stack.orderCenter.clearRequests();

    // Act
    const summary = await handler({ orderIds: ids, force: true }, lambdaContext('reconcile'));

    // Assess
    expect(summary).toMatchObject({ due: 2, confirmed: 2, calls: { 'add/main/info': 2 } });
    expect(stack.orderCenter.requests.map((r) => r.call)).toEqual(['add/main/info', 'add/main/info']);
  });

  it('revive: puts dead orders back, and the next run pushes them; report lists problems', async () => {
    // Prepare: the Order Center refuses everything until the order is dead
    const byOrder = await recordOrders(1, 23);
    const [orderId] = byOrder.keys();
    stack.orderCenter.setFaults({ http5xxRate: 1 });
    deps = { ...deps, backoff: { baseMs: 1, maxMs: 1, maxAttempts: 2 } };
    await run({ orderIds: [orderId!] });
    await run({ orderIds: [orderId!] });
    stack.orderCenter.resetFaults();
    const reported = (await handler({ report: true }, lambdaContext('reconcile'))) as {
      problems: { orderId: string; syncState: string; lastError?: { kind: string } }[];
    };

    // Act
    const revived = await handler({ revive: true }, lambdaContext('reconcile'));
    await reconcileAll();

    // Assess
    expect(reported.problems).toContainEqual(
      expect.objectContaining({
        orderId,
        syncState: 'dead',
        lastError: expect.objectContaining({ kind: 'transient' }),
      }),
    );
    expect(revived).toEqual({ revived: [orderId] });
    expect(await unsettled([orderId!])).toEqual([]);
    expect(mismatches(stack.orderCenter, byOrder, stack.appKey)).toEqual([]);
  });

  it('report: lists cashier payments whose snapshot never came', async () => {
    // Prepare
    const orderId = uniqueId('lonely');
    await service.ledger.recordFact({
      eventId: `cashier:${orderId}:2`,
      kind: 'paid',
      source: 'cashier',
      orderId,
      occurredAt: 1764316800,
      payment: { paidAt: 1764316800, amount: 100, cashierOrderId: 'C9' },
      cashier: {
        orderId: 'C9',
        userId: 'u',
        totalMoney: 100,
        payMoney: 100,
        dealId: 'd',
        payTime: 1764316800,
        status: 2,
      },
    });
    await reconcileAll();

    // Act
    const found = (await handler({ report: true }, lambdaContext('reconcile'))) as {
      waiting: { orderId: string; paidByCashier: boolean }[];
    };

    // Assess
    expect(found.waiting).toContainEqual(expect.objectContaining({ orderId, paidByCashier: true }));
  });

  it('report: lists a cashier payment whose amount differs from the order, which is not taken as paid', async () => {
    // Prepare: an order of 6370 fen, and a cashier notify of 100
    const [placed] = (await recordOrders(1, 25)).values().next().value!;
    const orderId = placed!.orderId;
    await service.ledger.recordFact({
      eventId: `cashier:${orderId}:2`,
      kind: 'paid',
      source: 'cashier',
      orderId,
      occurredAt: placed!.occurredAt + 1,
      payment: { paidAt: placed!.occurredAt + 1, amount: 100, cashierOrderId: 'C10' },
      cashier: {
        orderId: 'C10',
        userId: 'u',
        totalMoney: 100,
        payMoney: 100,
        dealId: 'd',
        payTime: 1,
        status: 2,
      },
    });
    await handler({ orderIds: [orderId] }, lambdaContext('reconcile'));

    // Act
    const found = (await handler({ report: true }, lambdaContext('reconcile'))) as {
      anomalies: { orderId: string; anomalies: { code: string; detail: string }[] }[];
    };

    // Assess
    expect(found.anomalies).toEqual([
      {
        orderId,
        anomalies: [
          expect.objectContaining({ code: 'cashier-amount-mismatch', eventId: `cashier:${orderId}:2` }),
        ],
      },
    ]);
    expect(found.anomalies[0]!.anomalies[0]!.detail).toContain('totalMoney 100');

    // and a later status-only change (the unpaid order is closed), pushed in a user batch, keeps the anomaly
    await record([
      { eventId: `${orderId}:late`, kind: 'closed', source: 'merchant', orderId, occurredAt: 1_900_000_000 },
    ]);
    stack.orderCenter.clearRequests();
    await reconcileAll();
    const again = (await handler({ report: true }, lambdaContext('reconcile'))) as typeof found;
    expect(stack.orderCenter.requests.map((r) => r.call)).toEqual(['update/main/status']);
    expect(again.anomalies.map((a) => a.orderId)).toEqual([orderId]);
  });

  it('stops taking new work when its time runs low, and leaves the rest due', async () => {
    // Prepare: a slow Order Center and a run with 10.5 s left of which 10 s are reserved
    await recordOrders(40, 24);
    stack.orderCenter.setFaults({ latencyMs: 100 });

    // Act
    const summary = await runReconcile(deps, { deadline: Date.now() + 10_500, concurrency: 2 });
    stack.orderCenter.resetFaults();

    // Assess
    expect(summary.stoppedEarly).toBe(true);
    expect(summary.due).toBeLessThan(40);
    const { entries } = await service.ledger.queryQueue('pending', { dueBy: Date.now(), limit: 1000 });
    expect(entries.length).toBeGreaterThanOrEqual(40 - summary.confirmed);
  });
});
