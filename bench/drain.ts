import type { Fact } from '../lib/events/types';
import { createDynamoBudget } from '../lib/budget';
import { createDynamoLedger } from '../lib/ledger/dynamo-ledger';
import type { Ledger } from '../lib/ledger/types';
import { queueKeyOf } from '../lib/ledger/shard';
import { createOrderCenterClient } from '../lib/order-center/client';
import { runReconcile, type ReconcileSummary } from '../lib/reconcile';
import { getService, resetService } from '../lib/service';
import { createLedgerTable } from '../local/dynamo';
import type { startStackForHandlers } from '../test/helpers/stack';
import { target, verdict, type SectionResult } from './report';
import { round } from './stats';

type Stack = Awaited<ReturnType<typeof startStackForHandlers>>;

export interface DrainBenchOptions {
  /** due orders of the big backlog, and of the small one the worker memory is compared with */
  orders: number;
  smallOrders: number;
  shards: number;
  maxQps: number;
  latencyMs: number;
  /** per worker */
  concurrency: number;
}

export interface DrainRun {
  orders: number;
  calls: number;
  /** whole seconds from the first call to the last */
  seconds: number;
  callsPerSecond: number;
  highestSecond: number;
  /** the share of queue index writes that fell on the busiest key */
  largestKeyShare: number;
  /** heap growth of the 16 workers' run over the shards, per worker, MB: what a worker holds */
  workerHeapMb: number;
  converged: boolean;
  summaries: ReconcileSummary[];
}

export interface DrainFigures extends DrainBenchOptions {
  big: DrainRun;
  small: DrainRun;
}

/** A new order: its snapshot only, so each needs one add/main/info. */
function placed(orderId: string, i: number): Fact {
  const at = 1_764_316_800 + i;
  return {
    eventId: `${orderId}:placed`,
    kind: 'placed',
    source: 'merchant',
    orderId,
    occurredAt: at,
    order: {
      openId: `drain-user-${i % 500}`,
      category: 'virtual',
      title: '视频会员 月卡',
      createdAt: at,
      items: [{ id: 'vip-1m', name: '视频会员 月卡', quantity: 1, price: 1990, payPrice: 1990 }],
      paymentMethod: 'online',
    },
  };
}

/** Queue index writes by key: a recorded fact puts the order in its shard's key, a finished push takes it out. */
function countedIndexWrites(ledger: Ledger, shards: number, writes: Map<string, number>): Ledger {
  const add = (orderId: string) => {
    const key = queueKeyOf('pending', orderId, shards);
    writes.set(key, (writes.get(key) ?? 0) + 1);
  };
  return {
    ...ledger,
    async recordFact(fact) {
      const result = await ledger.recordFact(fact);
      if (result.outcome === 'recorded') add(fact.orderId);
      return result;
    },
    async finishPush(orderId, owner, version, end) {
      const done = await ledger.finishPush(orderId, owner, version, end);
      add(orderId);
      return done;
    },
  };
}

/** Samples the heap while `work` runs; returns the largest growth over the start, in MB. */
async function heapGrowth<T>(work: () => Promise<T>): Promise<{ result: T; mb: number }> {
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { result, mb: round((peak - start) / 2 ** 20, 1) };
  } finally {
    clearInterval(timer);
  }
}

async function drain(stack: Stack, count: number, o: DrainBenchOptions, label: string): Promise<DrainRun> {
  process.env.LEDGER_TABLE = `bench-drain-${label}-${Date.now()}`;
  process.env.SYNC_SHARDS = String(o.shards);
  await createLedgerTable(stack.dynamo.client, process.env.LEDGER_TABLE);
  resetService();
  const service = getService('reconcile');
  const writes = new Map<string, number>();
  const ledger = countedIndexWrites(
    createDynamoLedger({
      client: stack.dynamo.client,
      tableName: process.env.LEDGER_TABLE,
      shards: o.shards,
    }),
    o.shards,
    writes,
  );
  const ids = Array.from({ length: count }, (_, i) => `${label}-${Date.now().toString(36)}-${i}`);
  for (let i = 0; i < ids.length; i += 64)
    await Promise.all(ids.slice(i, i + 64).map((id, j) => ledger.recordFact(placed(id, i + j))));

  stack.orderCenter.reset();
  stack.orderCenter.setFaults({ latencyMs: o.latencyMs });
  // One worker per shard, as the coordinator starts them: each its own Lambda, its own budget instance
  // over the one counter item, its own client.
  const worker = (shard: number) => {
    const budget = createDynamoBudget({
      client: stack.dynamo.client,
      tableName: process.env.LEDGER_TABLE as string,
      maxQps: o.maxQps,
    });
    const client = createOrderCenterClient({
      baseUrl: stack.orderCenter.url,
      tokens: service.tokens,
      budget,
    });
    return runReconcile(
      { ...service.sync, ledger, client },
      { shard, deadline: Date.now() + 900_000, concurrency: o.concurrency, batchSize: 20 },
    );
  };
  const all = await heapGrowth(() =>
    Promise.all(Array.from({ length: o.shards }, (_, shard) => worker(shard))),
  );
  stack.orderCenter.resetFaults();

  // Calls per second, from the Order Center's own log (receivedAt is whole Unix seconds).
  const perSecond = new Map<number, number>();
  const calls = stack.orderCenter.requests.filter((r) => r.call !== undefined && r.call !== 'oauth/token');
  for (const r of calls) perSecond.set(r.receivedAt, (perSecond.get(r.receivedAt) ?? 0) + 1);
  const seconds = [...perSecond.keys()].sort((a, b) => a - b);
  // Whole seconds only: the first and last are cut by the start and the end of the drain.
  const inner = seconds.slice(1, -1);
  const innerCalls = inner.reduce((sum, s) => sum + (perSecond.get(s) ?? 0), 0);
  const totalWrites = [...writes.values()].reduce((a, b) => a + b, 0);
  const left = await service.ledger.queryQueue('pending', { limit: 1 });
  return {
    orders: count,
    calls: calls.length,
    seconds: seconds.length,
    callsPerSecond: inner.length > 0 ? round(innerCalls / inner.length, 1) : calls.length,
    highestSecond: Math.max(0, ...perSecond.values()),
    largestKeyShare: round(Math.max(...writes.values()) / totalWrites, 4),
    workerHeapMb: round(all.mb / o.shards, 2),
    converged: left.entries.length === 0 && calls.length >= count,
    summaries: all.result,
  };
}

/** Issue 13: a backlog drained by one worker per shard, within one shared BAIDU_MAX_QPS. */
export async function drainBench(
  stack: Stack,
  options: DrainBenchOptions,
): Promise<SectionResult<DrainFigures>> {
  const saved = { shards: process.env.SYNC_SHARDS };
  try {
    const small = await drain(stack, options.smallOrders, options, 'small');
    const big = await drain(stack, options.orders, options, 'big');
    const figures: DrainFigures = { ...options, big, small };
    const fair = 1.5 / options.shards;
    const row = (r: DrainRun) => [
      r.orders,
      r.calls,
      r.seconds,
      r.callsPerSecond,
      round(r.callsPerSecond / options.maxQps, 2),
      r.highestSecond,
      r.largestKeyShare,
      r.workerHeapMb,
      r.converged ? 'yes' : 'NO',
    ];
    return {
      name: 'drain',
      figures,
      targets: [
        target(
          'drain',
          'drain rate / BAIDU_MAX_QPS',
          round(big.callsPerSecond / options.maxQps, 2),
          '>=',
          0.9,
          '×',
        ),
        target(
          'drain',
          'highest second',
          Math.max(big.highestSecond, small.highestSecond),
          '<=',
          options.maxQps,
          'calls',
        ),
        target('drain', 'busiest index key share', big.largestKeyShare, '<=', round(fair, 4), ''),
        target(
          'drain',
          `worker heap growth, ${options.orders} vs ${options.smallOrders} orders`,
          round(big.workerHeapMb - small.workerHeapMb, 1),
          '<=',
          1,
          'MB more',
        ),
        target('drain', 'every backlog drained', Number(big.converged && small.converged), '>=', 1, ''),
      ],
      tables: [
        {
          title: `4. Backlog drain: ${options.shards} shard workers (concurrency ${options.concurrency} each), BAIDU_MAX_QPS ${options.maxQps}, Order Center ${options.latencyMs} ms away`,
          header: [
            'orders',
            'calls',
            'seconds',
            'calls/s',
            '× cap',
            'highest second',
            'busiest key share',
            'worker heap MB',
            'drained',
          ],
          rows: [row(options.smallOrders === options.orders ? big : small), row(big)],
          notes: [
            `calls/s: the Order Center's request log, per whole second (first and last cut off); target >= 0.9 × ${options.maxQps}, no second above it (${verdict(big.highestSecond <= options.maxQps)}).`,
            `busiest key share: queue index writes (a fact queues an order, a finished push unqueues it) on the busiest <state>#<shard> key; an even spread is 1/${options.shards}, the target 1.5/${options.shards}.`,
            'worker heap MB: heap growth while the workers run, divided by their number (each holds one page at most); flat as the backlog grows.',
            'All in one process: dynalite, the Order Center stand-in and the 16 workers share two cores.',
          ],
        },
      ],
    };
  } finally {
    if (saved.shards === undefined) delete process.env.SYNC_SHARDS;
    else process.env.SYNC_SHARDS = saved.shards;
    resetService();
  }
}
