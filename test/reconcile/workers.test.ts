import { reconcileHandler } from '../../functions/reconcile';
import { reconcileWorkerHandler } from '../../functions/reconcileWorker';
import type { Fact } from '../../lib/events/types';
import type { Ledger, LedgerItem } from '../../lib/ledger/types';
import { shardOf } from '../../lib/ledger/shard';
import { createOrderCenterClient } from '../../lib/order-center/client';
import { fanOut, runReconcile } from '../../lib/reconcile';
import type { Service } from '../../lib/service';
import type { SyncDependencies } from '../../lib/sync/push';
import { createLedgerTable } from '../../local/dynamo';
import { startLocalLambda, type LocalLambda } from '../../local/lambda';
import { mismatches } from '../helpers/convergence';
import { uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { lifecycle, seeded } from '../helpers/lifecycles';
import { startStackForHandlers } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startStackForHandlers>>;
let lambda: LocalLambda;
/** this test's service (its own ledger table); reconcile and its workers are wired to it */
let service: Service;
const handler = reconcileHandler(() => service);
const worker = reconcileWorkerHandler(() => service);
let deps: SyncDependencies;

beforeAll(async () => {
  stack = await startStackForHandlers();
  lambda = await startLocalLambda({ functions: { reconcileWorker: worker }, timeoutMs: 600_000 });
  process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.url;
});

afterAll(async () => {
  await lambda.stop();
  delete process.env.AWS_ENDPOINT_URL_LAMBDA;
  await stack.stopAndRestore();
});

beforeEach(async () => {
  const ledgerTable = uniqueId('workers');
  await createLedgerTable(stack.dynamo.client, ledgerTable);
  stack.orderCenter.reset();
  service = stack.serviceWith({ ledgerTable });
  const client = createOrderCenterClient({
    baseUrl: stack.orderCenter.url,
    tokens: service.tokens,
    callTimeoutMs: 2_000,
  });
  deps = { ...service.sync, client };
});

async function record(facts: readonly Fact[]): Promise<void> {
  const { ledger } = service;
  for (let i = 0; i < facts.length; i += 32)
    await Promise.all(facts.slice(i, i + 32).map((f) => ledger.recordFact(f)));
}

/** Orders already in the Order Center (placed), each with a new status-only fact (shipped): one per user. */
async function statusOnlyOrders(count: number): Promise<Map<string, Fact[]>> {
  const prefix = uniqueId('so');
  const byOrder = new Map<string, Fact[]>();
  for (let i = 0; i < count; i++) {
    const orderId = `${prefix}-${i}`;
    const [placed] = lifecycle({
      orderId,
      openId: `${prefix}-user-${i}`,
      category: 'physical',
      random: seeded(i),
    });
    byOrder.set(orderId, [placed!]);
  }
  await record([...byOrder.values()].flat());
  await runReconcile(deps, { deadline: Date.now() + 120_000, concurrency: 16 });
  const later: Fact[] = [...byOrder.keys()].map((orderId) => ({
    eventId: `${orderId}:shipped`,
    kind: 'shipped',
    source: 'merchant',
    orderId,
    occurredAt: byOrder.get(orderId)![0]!.occurredAt + 9,
  }));
  await record(later);
  for (const f of later) byOrder.get(f.orderId)!.push(f);
  stack.orderCenter.clearRequests();
  return byOrder;
}

/** The ledger with the orders leased and not yet finished counted; `most` is the largest such count. */
function watchedLedger(ledger: Ledger): { ledger: Ledger; most: () => number } {
  const held = new Set<string>();
  let most = 0;
  return {
    most: () => most,
    ledger: {
      ...ledger,
      async acquireLease(orderId, owner, until) {
        const lease = await ledger.acquireLease(orderId, owner, until);
        if (typeof lease === 'object') most = Math.max(most, held.add(orderId).size);
        return lease;
      },
      async finishPush(orderId, owner, version, end) {
        const done = await ledger.finishPush(orderId, owner, version, end);
        held.delete(orderId);
        return done;
      },
    },
  };
}

async function leftLeased(ids: Iterable<string>): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) if ((await service.ledger.get(id))?.leaseOwner !== undefined) out.push(id);
  return out;
}

describe('a reconcile worker streams', () => {
  it('never holds more than concurrency x batchSize leased and unsent: 200 orders of 200 users', async () => {
    // Prepare
    const byOrder = await statusOnlyOrders(200);
    const watched = watchedLedger(deps.ledger);

    // Act
    const summary = await runReconcile(
      { ...deps, ledger: watched.ledger },
      { deadline: Date.now() + 120_000, concurrency: 4, batchSize: 5 },
    );

    // Assess
    expect(watched.most()).toBeLessThanOrEqual(4 * 5);
    expect(summary).toMatchObject({ due: 200, stoppedEarly: false });
    expect(mismatches(stack.orderCenter, byOrder, stack.appKey)).toEqual([]);
    expect(await leftLeased(byOrder.keys())).toEqual([]);
  }, 300_000);

  it('stops leasing when time runs low, sends what it holds within the deadline, and says so truly', async () => {
    // Prepare: 120 due orders; the clock jumps to 5 s before the deadline after the 30th lease
    const byOrder = await statusOnlyOrders(120);
    let leases = 0;
    let skew = 0;
    const deadline = Date.now() + 60_000;
    const callDeadlines: number[] = [];
    const late: SyncDependencies = {
      ...deps,
      now: () => Date.now() + skew,
      ledger: {
        ...deps.ledger,
        async acquireLease(...args) {
          if (++leases === 30) skew = deadline - 5_000 - Date.now();
          return deps.ledger.acquireLease(...args);
        },
      },
      client: {
        call(call, body, query, options) {
          callDeadlines.push(options?.deadline ?? Number.POSITIVE_INFINITY);
          return deps.client.call(call, body, query, options);
        },
      },
    };

    // Act
    const summary = await runReconcile(late, { deadline, concurrency: 4, batchSize: 5, reserveMs: 10_000 });

    // Assess: the figures match the ledger; the rest is due, nothing is left leased
    expect(summary.stoppedEarly).toBe(true);
    expect(summary.due).toBeGreaterThanOrEqual(30);
    expect(summary.due).toBeLessThan(120);
    const states = await Promise.all([...byOrder.keys()].map((id) => service.ledger.get(id)));
    const synced = states.filter((s) => s?.syncState === 'synced').length;
    // (At least: a write retried after a timeout, applied the first time, counts as pending in the summary.)
    expect(synced).toBeGreaterThanOrEqual(summary.confirmed);
    expect(synced).toBeLessThanOrEqual(summary.due);
    expect(summary.confirmed + summary.pending + summary.busy).toBe(summary.due);
    expect(states.filter((s) => s?.syncState === 'pending')).toHaveLength(120 - synced);
    expect(await leftLeased(byOrder.keys())).toEqual([]);
    expect(callDeadlines.every((d) => d <= deadline)).toBe(true);
  }, 300_000);
});

describe('the coordinator', () => {
  it('starts one worker per shard through the Lambda Invoke API, and the workers drain every shard', async () => {
    // Prepare: 64 new orders over the 16 shards
    const prefix = uniqueId('fan');
    const byOrder = new Map<string, Fact[]>();
    for (let i = 0; i < 64; i++) {
      const orderId = `${prefix}-${i}`;
      byOrder.set(
        orderId,
        lifecycle({ orderId, openId: `${prefix}-u${i % 8}`, category: 'virtual', random: seeded(i) }),
      );
    }
    await record([...byOrder.values()].flat());
    const invocationsBefore = lambda.invocations.length;

    // Act
    const started = await handler({}, lambdaContext('reconcile'));
    await lambda.idle();

    // Assess
    const shards = Array.from({ length: 16 }, (_, i) => i);
    expect(started).toEqual({ shards: 16, started: shards, failed: [] });
    const invocations = lambda.invocations.slice(invocationsBefore);
    expect(invocations.map((i) => i.type)).toEqual(shards.map(() => 'Event'));
    const events = invocations.map((i) => i.event as { shard: number });
    expect(events.sort((a, b) => a.shard - b.shard)).toEqual(shards.map((shard) => ({ shard })));
    expect(new Set([...byOrder.keys()].map((id) => shardOf(id, 16))).size).toBeGreaterThan(8);
    expect(mismatches(stack.orderCenter, byOrder, stack.appKey)).toEqual([]);
    expect(await leftLeased(byOrder.keys())).toEqual([]);
  }, 300_000);

  it('reports the shards whose worker could not be started (they stay due for the next run)', async () => {
    // Act
    const result = await fanOut(
      { start: (shard) => (shard === 3 ? Promise.reject(new Error('throttled')) : Promise.resolve()) },
      4,
    );

    // Assess
    expect(result).toEqual({
      shards: 4,
      started: [0, 1, 2],
      failed: [{ shard: 3, error: 'Error: throttled' }],
    });
  });
});

describe('operator commands page across the shards', () => {
  it('report, dry run and revive answer a page at a time; the cursors walk every order once', async () => {
    // Prepare: 230 dead orders
    const { ledger } = service;
    const ids = Array.from({ length: 230 }, (_, i) => `${uniqueId('dead')}-${i}`);
    const dead = async (orderId: string) => {
      const [placed] = lifecycle({ orderId, openId: 'u', category: 'virtual', random: seeded(1) });
      await ledger.recordFact(placed!);
      const item = (await ledger.acquireLease(orderId, 'op', Date.now() + 60_000)) as LedgerItem;
      await ledger.finishPush(orderId, 'op', item.version, {
        syncState: 'dead',
        attempts: 12,
        nextAttemptAt: Date.now(),
      });
    };
    for (let i = 0; i < ids.length; i += 23) await Promise.all(ids.slice(i, i + 23).map(dead));

    // Act
    const reported: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = (await handler(
        { report: true, ...(cursor ? { cursor } : {}) },
        lambdaContext('reconcile'),
      )) as {
        problems: { orderId: string }[];
        cursor?: string;
      };
      reported.push(...page.problems.map((p) => p.orderId));
      pageSizes.push(page.problems.length);
      cursor = page.cursor;
    } while (cursor);
    const revived: string[] = [];
    do {
      const page = (await handler(
        { revive: true, ...(cursor ? { cursor } : {}) },
        lambdaContext('reconcile'),
      )) as {
        revived: string[];
        cursor?: string;
      };
      revived.push(...page.revived);
      cursor = page.cursor;
    } while (cursor);
    const planned: string[] = [];
    do {
      const page = (await handler(
        { dryRun: true, ...(cursor ? { cursor } : {}) },
        lambdaContext('reconcile'),
      )) as {
        orders: { orderId: string }[];
        cursor?: string;
      };
      planned.push(...page.orders.map((o) => o.orderId));
      cursor = page.cursor;
    } while (cursor);

    // Assess
    expect(Math.max(...pageSizes)).toBeLessThanOrEqual(100);
    expect(pageSizes.length).toBeGreaterThanOrEqual(3);
    expect(reported.sort()).toEqual([...ids].sort());
    expect(revived.sort()).toEqual([...ids].sort());
    expect(planned.sort()).toEqual([...ids].sort());
  }, 300_000);

  it('refuses a cursor it did not give, naming the field', async () => {
    await expect(
      handler({ report: true, cursor: 'bm9wZQ' }, lambdaContext('reconcile')),
    ).rejects.toMatchObject({
      name: 'InvalidInputError',
      issues: [expect.objectContaining({ path: 'cursor' })],
    });
  });
});
