import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Fact } from '../lib/events/types';
import type { Ledger } from '../lib/ledger/types';
import { awsClientSettings } from '../lib/aws-clients';
import { createDynamoBudget } from '../lib/budget';
import { loadConfig, type Config } from '../lib/config';
import { timedFetch } from '../lib/metrics';
import { createOrderCenterClient } from '../lib/order-center/client';
import { runReconcile, type ReconcileSummary } from '../lib/reconcile';
import { createService } from '../lib/service';
import { pushOrder, type SyncDependencies } from '../lib/sync/push';
import { createLedgerTable } from '../local/dynamo';
import type { LocalOrderCenter, StoredOrder } from '../local/order-center';
import { mismatches } from '../test/helpers/convergence';
import type { startStackForHandlers } from '../test/helpers/stack';
import { startDynamoProcess, type DynamoProcess } from './dynamo-process';
import { startOrderCenterProcess, type OrderCenterProcess } from './order-center-process';
import { BenchOrderError, benchOrder, MIXED, type BenchOrder, type Shape } from './orders';
import { target, verdict, type SectionResult } from './report';
import { msSince, processCpuMs, round } from './stats';

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
  /**
   * BAIDU_MAX_QPS of these runs: above what they reach, so the cap never decides a figure here (every call
   * still claims its slot from the budget's counter item). The drain bench (section 4) measures the cap.
   */
  maxQps: number;
}

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

/**
 * What the runs talk to: dynalite and the Order Center stand-in each in a process of its own, as the drain
 * bench has them. In this process they took the CPU the run is measured by: dynalite alone uses about as much
 * CPU as reconcile itself (the CPU column), and DynamoDB and Baidu are not in a Lambda's process either.
 */
interface Lab {
  config: Config;
  dynamo: DynamoProcess;
  /** reconcile's DynamoDB client settings (lib/aws-clients), pointed at the dynalite process */
  dynamoClient: DynamoDBClient;
  orderCenter: OrderCenterProcess;
  maxQps: number;
}

let tables = 0;

/**
 * A fresh ledger table, and what reconcile pushes with (as the reconcile function wires it: lib/service,
 * its budget in the table), pointed at the stand-in processes.
 */
async function freshSync(lab: Lab): Promise<SyncDependencies> {
  tables += 1;
  const ledgerTable = `bench-reconcile-${Date.now()}-${tables}`;
  await createLedgerTable(lab.dynamoClient, ledgerTable);
  const config: Config = { ...lab.config, ledgerTable, baiduMaxQps: lab.maxQps };
  const service = createService(config, { role: 'reconcile', dynamo: lab.dynamoClient });
  // The service's client, but with the stand-in's URL and a token it issued (not the stack's SSM one).
  const client = createOrderCenterClient({
    baseUrl: lab.orderCenter.url,
    tokens: lab.orderCenter.tokens,
    fetch: timedFetch(),
    budget: createDynamoBudget({ client: lab.dynamoClient, tableName: ledgerTable, maxQps: lab.maxQps }),
  });
  return { ...service.sync, client };
}

/** Records the facts, 32 writes in flight (a pool: a slow write holds up no other). */
async function record(ledger: Ledger, facts: readonly Fact[]): Promise<void> {
  let next = 0;
  const writer = async (): Promise<void> => {
    while (next < facts.length) await ledger.recordFact(facts[next++]!);
  };
  await Promise.all(Array.from({ length: 32 }, writer));
}

/** Pushes the acknowledged part of every order, at no latency, until nothing is due. */
async function acknowledge(sync: SyncDependencies, list: readonly BenchOrder[]): Promise<void> {
  await record(
    sync.ledger,
    list.flatMap((o) => o.acknowledged),
  );
  for (let i = 0; i < 5; i++) {
    const summary = await runReconcile(sync, { deadline: Date.now() + RUN_BUDGET_MS, concurrency: 16 });
    if (summary.due === 0) return;
  }
  throw new BenchOrderError('the acknowledged orders did not all reach the Order Center');
}

/** The stand-in's orders, as `mismatches` reads them (the `order` lookup of the in-process stand-in). */
function storedOrders(stored: readonly StoredOrder[]): Pick<LocalOrderCenter, 'order'> {
  const byId = new Map<string, StoredOrder[]>();
  for (const order of stored) {
    const id = order.data.ResourceID;
    byId.set(id, [...(byId.get(id) ?? []), order]);
  }
  return {
    order: (resourceId, openId, bizAppId) =>
      byId
        .get(resourceId)
        ?.find(
          (o) =>
            (openId === undefined || o.openId === openId) &&
            (bizAppId === undefined || o.data.BizAPPID === bizAppId),
        ),
  };
}

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
  /** calls of the timed run, by name */
  callsByName: Record<string, number>;
  ms: number;
  /** ledger operations of the timed run, by name */
  ledgerOps: Record<string, number>;
  summary?: ReconcileSummary;
  converged: boolean;
  /** CPU of the timed run, in seconds: this process (reconcile: our code, the AWS SDK), dynalite, the stand-in */
  cpu: RunCpu;
  /** the whole run: table, acknowledged pushes, due facts, timed run, convergence check */
  totalMs: number;
}

export interface RunCpu {
  reconcile: number;
  dynalite: number;
  orderCenter: number;
}

/** CPU ms so far of this process and of the stand-in processes. */
function cpuNow(lab: Lab): RunCpu {
  const own = process.cpuUsage();
  return {
    reconcile: (own.user + own.system) / 1000,
    dynalite: processCpuMs(lab.dynamo.pid),
    orderCenter: processCpuMs(lab.orderCenter.pid),
  };
}

const cpuSince = (before: RunCpu, after: RunCpu): RunCpu => ({
  reconcile: round((after.reconcile - before.reconcile) / 1000, 1),
  dynalite: round((after.dynalite - before.dynalite) / 1000, 1),
  orderCenter: round((after.orderCenter - before.orderCenter) / 1000, 1),
});

type Runner = (deps: SyncDependencies, due: readonly BenchOrder[]) => Promise<ReconcileSummary | undefined>;

/** Prepares the orders, then times `runner` over them with the Order Center `latencyMs` away. */
async function timed(
  lab: Lab,
  list: readonly BenchOrder[],
  latencyMs: number,
  runner: Runner,
): Promise<ScenarioRun> {
  const began = process.hrtime.bigint();
  const { orderCenter } = lab;
  const sync = await freshSync(lab);
  await orderCenter.reset();
  await acknowledge(sync, list);
  const before = (await orderCenter.requests()).length;
  await record(
    sync.ledger,
    list.flatMap((o) => o.due),
  );
  await orderCenter.setFaults({ latencyMs });
  const ledgerOps: Record<string, number> = {};
  const deps = { ...sync, ledger: countedLedger(sync.ledger, ledgerOps) };
  const cpuBefore = cpuNow(lab);
  const started = process.hrtime.bigint();
  const summary = await runner(deps, list);
  const ms = msSince(started);
  const cpu = cpuSince(cpuBefore, cpuNow(lab));
  await orderCenter.setFaults({ latencyMs: 0 });
  const callsByName: Record<string, number> = {};
  for (const { call } of (await orderCenter.requests()).slice(before)) {
    if (call !== undefined && call !== 'oauth/token') callsByName[call] = (callsByName[call] ?? 0) + 1;
  }
  const byOrder = new Map(list.map((o) => [o.orderId, [...o.acknowledged, ...o.due]]));
  const stored = storedOrders(await orderCenter.orders());
  const converged = mismatches(stored, byOrder, lab.config.appKey).length === 0;
  return {
    orders: list.length,
    calls: Object.values(callsByName).reduce((a, b) => a + b, 0),
    callsByName,
    ms: round(ms, 0),
    ledgerOps,
    summary,
    converged,
    cpu,
    totalMs: round(msSince(began), 0),
  };
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
  callsByName: Record<string, number>;
  ms: number;
  floorMs: number;
  floorRatio: number;
  summary?: ReconcileSummary;
  converged: boolean;
  /** ledger operations of the run, by name, and per order */
  ledgerOps: Record<string, number>;
  ledgerOpsPerOrder: number;
  /** CPU seconds of the timed run, by process: whether it waited for the Order Center or for the CPU */
  cpu: RunCpu;
  oneAtATime: {
    sampleOrders: number;
    sampleMs: number;
    sampleCalls: number;
    extrapolatedMs: number;
    converged: boolean;
  };
  speedup: number;
  /** wall ms of each run of the scenario, setup included: where the bench's own time goes */
  benchMs: { timed: number; oneAtATime: number };
}

export interface ReconcileFigures {
  latencyMs: number;
  concurrency: number;
  batchSize: number;
  maxQps: number;
  statusOnly: ScenarioFigures;
  mixed: ScenarioFigures;
}

async function scenario(
  lab: Lab,
  name: string,
  options: ReconcileBenchOptions,
  shapeOf: (i: number) => Shape,
): Promise<ScenarioFigures> {
  const { users, ordersPerUser, latencyMs, concurrency } = options;
  const full = orders(`${name}-${Date.now()}`, users, ordersPerUser, shapeOf);
  const run = await timed(lab, full, latencyMs, reconcileRunner(options));
  const sampleUsers = Math.max(1, Math.round(options.sampleOrders / ordersPerUser));
  const sample = await timed(
    lab,
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
    callsByName: run.callsByName,
    ms: run.ms,
    floorMs: round(floorMs, 0),
    floorRatio: round(run.ms / floorMs, 2),
    summary: run.summary,
    converged: run.converged,
    ledgerOps: run.ledgerOps,
    ledgerOpsPerOrder: round(Object.values(run.ledgerOps).reduce((a, b) => a + b, 0) / full.length, 2),
    cpu: run.cpu,
    oneAtATime: {
      sampleOrders: sample.orders,
      sampleMs: sample.ms,
      sampleCalls: sample.calls,
      extrapolatedMs,
      converged: sample.converged,
    },
    speedup: round(extrapolatedMs / run.ms, 1),
    benchMs: { timed: run.totalMs, oneAtATime: sample.totalMs },
  };
}

const callsText = (byName: Record<string, number>): string =>
  Object.entries(byName)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([call, n]) => `${call} ${n.toLocaleString('en-US')}`)
    .join(', ');

/** Reconcile of 2,000 due orders of 200 users against the local Order Center, `latencyMs` away. */
export async function reconcileBench(
  stack: Stack,
  options: ReconcileBenchOptions,
): Promise<SectionResult<ReconcileFigures>> {
  const dynamo = await startDynamoProcess();
  const orderCenter = await startOrderCenterProcess().catch(async (err: unknown) => {
    await dynamo.stop();
    throw err;
  });
  const dynamoClient = new DynamoDBClient({
    ...awsClientSettings('reconcile'),
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // The stack's configuration, with the stand-in's AppKey: it refuses every order of another BizAPPID.
  const lab: Lab = {
    config: { ...loadConfig(stack.env), appKey: orderCenter.appKey },
    dynamo,
    dynamoClient,
    orderCenter,
    maxQps: options.maxQps,
  };
  try {
    const statusOnly = await scenario(lab, 'status', options, () => 'status-only');
    const mixed = await scenario(lab, 'mixed', options, (i) => MIXED[i % MIXED.length]!);
    return report(options, statusOnly, mixed);
  } finally {
    dynamoClient.destroy();
    await orderCenter.stop();
    await dynamo.stop();
  }
}

function report(
  options: ReconcileBenchOptions,
  statusOnly: ScenarioFigures,
  mixed: ScenarioFigures,
): SectionResult<ReconcileFigures> {
  const figures: ReconcileFigures = {
    latencyMs: options.latencyMs,
    concurrency: options.concurrency,
    batchSize: options.batchSize,
    maxQps: options.maxQps,
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
    `${s.cpu.reconcile} / ${s.cpu.dynalite} / ${s.cpu.orderCenter}`,
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
        Number(
          statusOnly.converged &&
            statusOnly.oneAtATime.converged &&
            mixed.converged &&
            mixed.oneAtATime.converged,
        ),
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
          'CPU s: reconcile / dynalite / stand-in',
          'one-at-a-time ms',
          '× faster',
          '>= 10',
          'converged',
        ],
        rows: [row('status-only', statusOnly, true), row('mixed', mixed, false)],
        notes: [
          `floor = calls / concurrency × ${options.latencyMs} ms, calls counted in the Order Center's request log.`,
          `status-only: each order paid, then shipped without a parcel: a status change alone, which reconcile sends up to ${options.batchSize} orders of one user to an update/main/status (${callsText(statusOnly.callsByName)}: ${round(statusOnly.orders / statusOnly.calls, 2)} orders a call). A batch forms within one page of the queue (at most concurrency × batchSize orders, read one shard key after the other), and the queue is sharded by orderId: a user's ${options.ordersPerUser} orders fall on several shards, so few of them share a page.`,
          `mixed: per user 4 new orders (add/main/info), 2 status-only (batched update/main/status), 2 shipped with a parcel (update/main/status + add/main/logistics, pushed alone), 2 refunds (append/sub/info) (${callsText(mixed.callsByName)}).`,
          `one-at-a-time: pushOrder over a sample of ${statusOnly.oneAtATime.sampleOrders} orders of the same shapes, one after the other, extrapolated linearly to ${statusOnly.orders}.`,
          'CPU s: CPU seconds of the timed run in this process (reconcile: our code and the AWS SDK), in dynalite and in the Order Center stand-in. Each runs its JavaScript on one thread, on a 2-core machine: a run whose reconcile CPU nears its time, or whose CPU adds up to near twice its time, waited for the CPU, not for the Order Center.',
          'ledger ops/order: ledger reads and conditional writes of the timed run (lease, ack, finish, queue pages), per order.',
          `dynalite and the Order Center stand-in each run in a process of their own (as in the drain bench, and as DynamoDB and Baidu are not in a Lambda's process); BAIDU_MAX_QPS ${options.maxQps.toLocaleString('en-US')}, so that the cap (measured in section 4) decides nothing here, though every call still claims its slot.`,
        ],
      },
    ],
  };
}
