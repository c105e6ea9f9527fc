import type { Fact } from '../lib/events/types';
import type { Ledger } from '../lib/ledger/types';
import { runReconcile, type ReconcileSummary } from '../lib/reconcile';
import { loadConfig } from '../lib/config';
import { createService, type Service } from '../lib/service';
import { pushOrder, type SyncDependencies } from '../lib/sync/push';
import { createLedgerTable } from '../local/dynamo';
import { mismatches } from '../test/helpers/convergence';
import type { startStackForHandlers } from '../test/helpers/stack';
import { orderWithRefund } from './orders';
import { target, verdict, type SectionResult } from './report';
import { msSince, round } from './stats';

type Stack = Awaited<ReturnType<typeof startStackForHandlers>>;

const MAX_FLOOR_RATIO = 1.5;
const MIN_SPEEDUP = 10;
/** Generous: a run that meets its deadline would stop taking work, and the figure would be wrong. */
const RUN_BUDGET_MS = 600_000;

export interface ReconcileBenchOptions {
  users: number;
  ordersPerUser: number;
  /** orders of the one-at-a-time sample (extrapolated linearly to the full count) */
  sampleOrders: number;
  latencyMs: number;
  concurrency: number;
  batchSize: number;
}

/** Which facts are pushed (and acknowledged) before the timed run, and which make the order due for it. */
interface BenchOrder {
  orderId: string;
  acknowledged: Fact[];
  due: Fact[];
}

type Shape = 'status-only' | 'new' | 'refund';

/** Split of an order's life: status-only (paid -> shipped), new (placed + paid), refund (shipped -> refund requested). */
function benchOrder(orderId: string, openId: string, shape: Shape, seed: number): BenchOrder {
  const [placed, paid, shipped, refundRequested] = orderWithRefund(orderId, openId, seed);
  if (shipped?.kind !== 'shipped' || refundRequested?.kind !== 'refund-requested') {
    throw new Error(`${orderId}: unexpected lifecycle`);
  }
  switch (shape) {
    case 'status-only':
      return { orderId, acknowledged: [placed!, paid!], due: [shipped] };
    case 'new':
      return { orderId, acknowledged: [], due: [placed!, paid!] };
    case 'refund':
      return { orderId, acknowledged: [placed!, paid!, shipped], due: [refundRequested] };
  }
}

/** Mixed: of each user's ten orders, four new, four status-only and two refunds. */
const MIXED: readonly Shape[] = [
  'new',
  'new',
  'new',
  'new',
  'status-only',
  'status-only',
  'status-only',
  'status-only',
  'refund',
  'refund',
];

function orders(prefix: string, users: number, perUser: number, shapeOf: (i: number) => Shape): BenchOrder[] {
  return Array.from({ length: users * perUser }, (_, i) => {
    const user = i % users;
    return benchOrder(
      `${prefix}-${i}`,
      `${prefix}-user-${user}`,
      shapeOf(Math.floor(i / users)),
      1 + (i % 50),
    );
  });
}

let tables = 0;

/** A fresh ledger table, and the service (as the reconcile function wires it) pointed at it. */
async function freshLedger(stack: Stack): Promise<Service> {
  tables += 1;
  const ledgerTable = `bench-reconcile-${Date.now()}-${tables}`;
  await createLedgerTable(stack.dynamo.client, ledgerTable);
  return createService({ ...loadConfig(), ledgerTable });
}

async function record(service: Service, facts: readonly Fact[]): Promise<void> {
  for (let i = 0; i < facts.length; i += 32) {
    await Promise.all(facts.slice(i, i + 32).map((fact) => service.ledger.recordFact(fact)));
  }
}

/** Pushes the acknowledged part of every order, at no latency, until nothing is due. */
async function acknowledge(service: Service, list: readonly BenchOrder[]): Promise<void> {
  await record(
    service,
    list.flatMap((o) => o.acknowledged),
  );
  for (let i = 0; i < 5; i++) {
    const summary = await runReconcile(service.sync, {
      deadline: Date.now() + RUN_BUDGET_MS,
      concurrency: 16,
    });
    if (summary.due === 0) return;
  }
  throw new Error('the acknowledged orders did not all reach the Order Center');
}

const callsLogged = (stack: Stack): number =>
  stack.orderCenter.requests.filter((r) => r.call !== undefined && r.call !== 'oauth/token').length;

/** The ledger, with every operation counted by name: what a run costs besides the Order Center. */
function countedLedger(ledger: Ledger, counts: Record<string, number>): Ledger {
  return new Proxy(ledger, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return (...args: unknown[]) => {
        counts[name] = (counts[name] ?? 0) + 1;
        return Reflect.apply(value, target, args);
      };
    },
  });
}

export interface ScenarioRun {
  orders: number;
  calls: number;
  ms: number;
  /** ledger operations of the timed run, by name */
  ledgerOps: Record<string, number>;
  summary?: ReconcileSummary;
  converged: boolean;
}

type Runner = (deps: SyncDependencies, due: readonly BenchOrder[]) => Promise<ReconcileSummary | undefined>;

/** Prepares the orders, then times `runner` over them with the Order Center `latencyMs` away. */
async function timed(
  stack: Stack,
  list: readonly BenchOrder[],
  latencyMs: number,
  runner: Runner,
): Promise<ScenarioRun> {
  const service = await freshLedger(stack);
  stack.orderCenter.reset();
  await acknowledge(service, list);
  stack.orderCenter.clearRequests();
  await record(
    service,
    list.flatMap((o) => o.due),
  );
  stack.orderCenter.setFaults({ latencyMs });
  const ledgerOps: Record<string, number> = {};
  const deps = { ...service.sync, ledger: countedLedger(service.ledger, ledgerOps) };
  const started = process.hrtime.bigint();
  const summary = await runner(deps, list);
  const ms = msSince(started);
  stack.orderCenter.resetFaults();
  const byOrder = new Map(list.map((o) => [o.orderId, [...o.acknowledged, ...o.due]]));
  const converged = mismatches(stack.orderCenter, byOrder, stack.appKey).length === 0;
  return { orders: list.length, calls: callsLogged(stack), ms: round(ms, 0), ledgerOps, summary, converged };
}

const reconcileRunner =
  (options: ReconcileBenchOptions): Runner =>
  (deps) =>
    runReconcile(deps, {
      deadline: Date.now() + RUN_BUDGET_MS,
      concurrency: options.concurrency,
      batchSize: options.batchSize,
    });

/** What the webhooks do, one order after the other: each order pushed alone, no batching, nothing at once. */
const oneAtATime: Runner = async (deps, list) => {
  for (const order of list) await pushOrder(deps, order.orderId, { deadline: Date.now() + 30_000 });
  return undefined;
};

export interface ScenarioFigures {
  orders: number;
  users: number;
  calls: number;
  ms: number;
  floorMs: number;
  floorRatio: number;
  summary?: ReconcileSummary;
  converged: boolean;
  /** ledger operations of the run, by name, and per order */
  ledgerOps: Record<string, number>;
  ledgerOpsPerOrder: number;
  /** the same run with no added latency: what the ledger and this process cost on their own */
  noLatencyMs?: number;
  oneAtATime: {
    sampleOrders: number;
    sampleMs: number;
    sampleCalls: number;
    extrapolatedMs: number;
    converged: boolean;
  };
  speedup: number;
}

export interface ReconcileFigures {
  latencyMs: number;
  concurrency: number;
  batchSize: number;
  statusOnly: ScenarioFigures;
  mixed: ScenarioFigures;
}

async function scenario(
  stack: Stack,
  name: string,
  options: ReconcileBenchOptions,
  shapeOf: (i: number) => Shape,
  withNoLatencyRun: boolean,
): Promise<ScenarioFigures> {
  const { users, ordersPerUser, latencyMs, concurrency } = options;
  const full = orders(`${name}-${Date.now()}`, users, ordersPerUser, shapeOf);
  const run = await timed(stack, full, latencyMs, reconcileRunner(options));
  const noLatency = withNoLatencyRun
    ? await timed(
        stack,
        orders(`${name}-0ms-${Date.now()}`, users, ordersPerUser, shapeOf),
        0,
        reconcileRunner(options),
      )
    : undefined;
  const sampleUsers = Math.max(1, Math.round(options.sampleOrders / ordersPerUser));
  const sample = await timed(
    stack,
    orders(`${name}-one-${Date.now()}`, sampleUsers, ordersPerUser, shapeOf),
    latencyMs,
    oneAtATime,
  );
  const floorMs = (run.calls / concurrency) * latencyMs;
  const extrapolatedMs = round((sample.ms * full.length) / sample.orders, 0);
  return {
    orders: full.length,
    users,
    calls: run.calls,
    ms: run.ms,
    floorMs: round(floorMs, 0),
    floorRatio: round(run.ms / floorMs, 2),
    summary: run.summary,
    converged: run.converged,
    ledgerOps: run.ledgerOps,
    ledgerOpsPerOrder: round(Object.values(run.ledgerOps).reduce((a, b) => a + b, 0) / full.length, 2),
    noLatencyMs: noLatency?.ms,
    oneAtATime: {
      sampleOrders: sample.orders,
      sampleMs: sample.ms,
      sampleCalls: sample.calls,
      extrapolatedMs,
      converged: sample.converged,
    },
    speedup: round(extrapolatedMs / run.ms, 1),
  };
}

/** Reconcile of 2,000 due orders of 200 users against the local Order Center, `latencyMs` away. */
export async function reconcileBench(
  stack: Stack,
  options: ReconcileBenchOptions,
): Promise<SectionResult<ReconcileFigures>> {
  const statusOnly = await scenario(stack, 'status', options, () => 'status-only', true);
  const mixed = await scenario(stack, 'mixed', options, (i) => MIXED[i % MIXED.length]!, false);
  const figures: ReconcileFigures = {
    latencyMs: options.latencyMs,
    concurrency: options.concurrency,
    batchSize: options.batchSize,
    statusOnly,
    mixed,
  };
  const row = (name: string, s: ScenarioFigures, floorTarget: boolean) => [
    name,
    s.orders,
    s.calls,
    s.ms,
    s.floorMs,
    s.floorRatio,
    floorTarget ? verdict(s.floorRatio <= MAX_FLOOR_RATIO) : '-',
    s.ledgerOpsPerOrder,
    s.noLatencyMs ?? '-',
    s.oneAtATime.extrapolatedMs,
    s.speedup,
    verdict(s.speedup >= MIN_SPEEDUP),
    s.converged && s.oneAtATime.converged ? 'yes' : 'NO',
  ];
  return {
    name: 'reconcile',
    figures,
    targets: [
      target('reconcile', 'status-only time / floor', statusOnly.floorRatio, '<=', MAX_FLOOR_RATIO, '×'),
      target('reconcile', 'status-only vs one-at-a-time', statusOnly.speedup, '>=', MIN_SPEEDUP, '× faster'),
      target('reconcile', 'mixed vs one-at-a-time', mixed.speedup, '>=', MIN_SPEEDUP, '× faster'),
      target(
        'reconcile',
        'every run converged',
        Number(statusOnly.converged && mixed.converged),
        '>=',
        1,
        '',
      ),
    ],
    tables: [
      {
        title: `3. Reconcile: ${options.users * options.ordersPerUser} due orders of ${options.users} users, Order Center ${options.latencyMs} ms away, concurrency ${options.concurrency}, batchSize ${options.batchSize}`,
        header: [
          'scenario',
          'orders',
          'calls',
          'ms',
          'floor ms',
          '× floor',
          '<= 1.5',
          'ledger ops/order',
          '0-latency ms',
          'one-at-a-time ms',
          '× faster',
          '>= 10',
          'converged',
        ],
        rows: [row('status-only', statusOnly, true), row('mixed', mixed, false)],
        notes: [
          `floor = calls / concurrency × ${options.latencyMs} ms, calls counted in the Order Center's request log.`,
          `one-at-a-time: pushOrder over a sample of ${statusOnly.oneAtATime.sampleOrders} orders, one after the other, extrapolated linearly to ${statusOnly.orders}.`,
          '0-latency ms: the same status-only run with no added latency: what the ledger (dynalite, in this process) and the CPU take alone.',
          'ledger ops/order: ledger reads and conditional writes of the timed run (lease, ack, finish, queue pages), per order.',
          'mixed: per user 4 new orders (add), 4 status-only (batched update/main/status), 2 refunds (append/sub/info + status).',
        ],
      },
    ],
  };
}
