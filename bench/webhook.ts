import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Fact } from '../lib/events/types';
import type { LifecycleHandler, StackResult } from '../lib/http';
import { lambdaContext } from '../test/helpers/lambda';
import type { startStackForHandlers } from '../test/helpers/stack';
import {
  deliveriesOf,
  deliveryEvent,
  ROUTE_KEYS,
  type Delivery,
  type RouteKey,
} from '../test/reliability/deliveries';
import { deployBuildOptions, functionEntries, httpRoutes, ROOT } from './deploy-config';
import { orderWithRefund } from './orders';
import type { SectionResult } from './report';
import { msSince, quantile, round } from './stats';

type Stack = Awaited<ReturnType<typeof startStackForHandlers>>;

export interface WebhookBenchOptions {
  /** timed requests per route, at least */
  perRoute: number;
  /** orders sent through every route first, untimed */
  warmUpOrders: number;
}

export interface RouteLatency {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU of this whole process (handler, dynalite, Order Center) per request: less swayed by other loads than time */
  cpuP50Ms: number;
  /** DynamoDB requests per request, by operation, as dynalite served them: deterministic */
  dynamoCalls: Record<string, number>;
}

export type WebhookFigures = Record<RouteKey, RouteLatency>;

/**
 * The life of order i: paid through Baidu's cashier when i is even, the merchant's event when odd; completed
 * when even, closed when odd. So 2 × perRoute orders give every route at least perRoute requests.
 */
function orderLife(prefix: string, i: number, cashierPrivateKeyPem: string): Delivery[] {
  const orderId = `${prefix}-${i}`;
  const facts: Fact[] = orderWithRefund(orderId, `${prefix}-user-${i % 50}`, 1 + (i % 50));
  const last = facts.at(-1)!;
  if (i % 2 === 1)
    facts[facts.length - 1] = {
      ...last,
      eventId: `${orderId}:closed`,
      kind: 'closed',
      reason: 'buyer cancelled',
    };
  return deliveriesOf(facts, i % 2 === 0 ? { cashierPrivateKeyPem } : {});
}

type Handlers = Record<RouteKey, LifecycleHandler>;

/**
 * Each route's handler as deployed: its function bundled with serverless.yml's custom.esbuild, then loaded
 * here. (The bundle is also what lets this plain Node process run middy 7, which is ESM-only.)
 */
async function bundledHandlers(dir: string): Promise<Handlers> {
  const routes = httpRoutes();
  const entries = functionEntries();
  const handlers: Partial<Handlers> = {};
  for (const route of ROUTE_KEYS) {
    const fn = routes[route];
    if (!fn) throw new Error(`serverless.yml routes ${route} to no function`);
    const outdir = path.join(dir, fn);
    const entry = entries[fn]!;
    await build({ ...deployBuildOptions(), absWorkingDir: ROOT, entryPoints: [entry], outdir, write: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle built just now
    const loaded = require(path.join(outdir, `${path.basename(entry, '.ts')}.js`)) as {
      handler: LifecycleHandler;
    };
    handlers[route] = loaded.handler;
  }
  return handlers as Handlers;
}

interface Sample {
  ms: number;
  cpuMs: number;
  dynamoCalls: Record<string, number>;
}

async function send(stack: Stack, handlers: Handlers, delivery: Delivery): Promise<Sample> {
  const event = deliveryEvent(delivery, stack.secrets.webhookSecret);
  const context = lambdaContext(delivery.route);
  const callsBefore = stack.dynamo.calls();
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const reply = (await handlers[delivery.route](event, context)) as StackResult;
  const ms = msSince(started);
  const cpu = process.cpuUsage(cpuBefore);
  if (!('statusCode' in reply) || (reply.statusCode !== 202 && reply.statusCode !== 200)) {
    throw new Error(`${delivery.route} for ${delivery.orderId} answered ${JSON.stringify(reply)}`);
  }
  const dynamoCalls: Record<string, number> = {};
  for (const [operation, count] of Object.entries(stack.dynamo.calls())) {
    const made = count - (callsBefore[operation] ?? 0);
    if (made > 0) dynamoCalls[operation] = made;
  }
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, dynamoCalls };
}

/** Mean DynamoDB requests per request, by operation. */
function callsPerRequest(samples: readonly Sample[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const sample of samples)
    for (const [operation, count] of Object.entries(sample.dynamoCalls))
      totals[operation] = (totals[operation] ?? 0) + count;
  return Object.fromEntries(
    Object.entries(totals)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, total]) => [operation, round(total / samples.length, 2)]),
  );
}

const callsCell = (calls: Record<string, number>): string =>
  `${round(
    Object.values(calls).reduce((a, b) => a + b, 0),
    2,
  )} (${Object.entries(calls)
    .map(([operation, n]) => `${operation} ${n}`)
    .join(', ')})`;

/** Latency through each lifecycle route's handler (middy stack, signature, ledger, push), warm, one request at a time. */
/** The call budget of this section: above what one request at a time can make (see the note below). */
const WEBHOOK_MAX_QPS = 1_000;

export async function webhookBench(
  stack: Stack,
  options: WebhookBenchOptions,
): Promise<SectionResult<WebhookFigures>> {
  const prefix = `bench-webhook-${Date.now()}`;
  const key = stack.secrets.cashierPrivateKeyPem;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-webhook-'));
  const times = Object.fromEntries(ROUTE_KEYS.map((route) => [route, [] as Sample[]])) as Record<
    RouteKey,
    Sample[]
  >;
  // One request at a time makes up to ~200 Order Center calls a second, over the default BAIDU_MAX_QPS
  // (100): the budget would hold pushes to the next second and this table would time the budget, which
  // the drain section measures. The handlers read their configuration on first use, below.
  const maxQpsBefore = process.env.BAIDU_MAX_QPS;
  process.env.BAIDU_MAX_QPS = String(WEBHOOK_MAX_QPS);
  try {
    const handlers = await bundledHandlers(dir);
    for (let i = 0; i < options.warmUpOrders; i++) {
      for (const delivery of orderLife(`${prefix}-warm`, i, key)) await send(stack, handlers, delivery);
    }
    for (let i = 0; i < 2 * options.perRoute; i++) {
      for (const delivery of orderLife(prefix, i, key))
        times[delivery.route].push(await send(stack, handlers, delivery));
    }
  } finally {
    if (maxQpsBefore === undefined) delete process.env.BAIDU_MAX_QPS;
    else process.env.BAIDU_MAX_QPS = maxQpsBefore;
    rmSync(dir, { recursive: true, force: true });
  }
  const figures = Object.fromEntries(
    ROUTE_KEYS.map((route) => {
      const samples = times[route];
      const ms = samples.map((sample) => sample.ms);
      const latency: RouteLatency = {
        requests: samples.length,
        p50Ms: round(quantile(ms, 0.5), 2),
        p99Ms: round(quantile(ms, 0.99), 2),
        maxMs: round(Math.max(...ms), 2),
        cpuP50Ms: round(
          quantile(
            samples.map((sample) => sample.cpuMs),
            0.5,
          ),
          2,
        ),
        dynamoCalls: callsPerRequest(samples),
      };
      return [route, latency];
    }),
  ) as WebhookFigures;
  return {
    name: 'webhook',
    figures,
    targets: [],
    tables: [
      {
        title:
          '4. Webhook latency through the deployed bundle of each route (local stack in this process, warm, one at a time)',
        header: ['route', 'requests', 'p50 ms', 'p99 ms', 'max ms', 'CPU p50 ms', 'DynamoDB calls/request'],
        rows: ROUTE_KEYS.map((route) => [
          route,
          figures[route].requests,
          figures[route].p50Ms,
          figures[route].p99Ms,
          figures[route].maxMs,
          figures[route].cpuP50Ms,
          callsCell(figures[route].dynamoCalls),
        ]),
        notes: [
          'Each request: signature (HMAC or RSA), parse and validation, one conditional write to the ledger (dynalite),',
          `then the push to the local Order Center (no added latency). ${options.warmUpOrders} orders went through every route first, untimed.`,
          `BAIDU_MAX_QPS ${WEBHOOK_MAX_QPS} here: at the default 100, this one-at-a-time run (~200 calls/s) made pushes wait for the next second's budget (p99 ~350 ms).`,
          'CPU: of this whole process (handler, dynalite, Order Center), which other loads on the machine sway less than time.',
          'DynamoDB calls/request: as dynalite served them, the same on any machine: a change there is a change in the code.',
        ],
      },
    ],
  };
}
