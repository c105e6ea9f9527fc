import type { Fact } from '../lib/events/types';
import { validateCallBody } from '../lib/order-center/schemas';
import { addMainInfoBody, project } from '../lib/projection';
import { orderWithRefund } from './orders';
import { target, verdict, type SectionResult } from './report';
import { msSince, round } from './stats';

const MIN_ORDERS_PER_SECOND = 10_000;
const BIZ_APP_ID = 'bench-app-key';

export interface ThroughputOptions {
  /** distinct orders cycled through */
  orders: number;
  warmUpMs: number;
  measureMs: number;
}

export interface ThroughputFigures {
  factsPerOrder: number;
  ordersTimed: number;
  ms: number;
  ordersPerSecond: number;
}

/** One order through the sync path's pure core: its projection, then its add/main/info body validated. */
function projectAndValidate(orderId: string, facts: readonly Fact[]): void {
  const projection = project(orderId, facts, { bizAppId: BIZ_APP_ID });
  if (!projection.ready) throw new Error(`${orderId}: the projection is not ready`);
  const issues = validateCallBody('add/main/info', addMainInfoBody(projection.view.data));
  if (issues.length > 0) throw new Error(`${orderId}: ${JSON.stringify(issues)}`);
}

function spin(orders: readonly [string, Fact[]][], forMs: number): { count: number; ms: number } {
  const started = process.hrtime.bigint();
  let count = 0;
  // Checking the clock every 100 orders keeps its cost out of the figure.
  while (msSince(started) < forMs) {
    for (let i = 0; i < 100; i++) {
      const [orderId, facts] = orders[count % orders.length]!;
      projectAndValidate(orderId, facts);
      count += 1;
    }
  }
  return { count, ms: msSince(started) };
}

/** Orders per second on this one thread (one core): project() + validateCallBody('add/main/info', ...). */
export function throughput(options: ThroughputOptions): SectionResult<ThroughputFigures> {
  const orders = Array.from({ length: options.orders }, (_, i): [string, Fact[]] => {
    const orderId = `bench-${i}`;
    return [orderId, orderWithRefund(orderId, `bench-user-${i % 200}`, 1 + (i % 50))];
  });
  spin(orders, options.warmUpMs);
  const { count, ms } = spin(orders, options.measureMs);
  const ordersPerSecond = Math.round((count / ms) * 1000);
  const factsPerOrder = round(orders.reduce((n, [, facts]) => n + facts.length, 0) / orders.length, 1);
  return {
    name: 'throughput',
    figures: { factsPerOrder, ordersTimed: count, ms: round(ms, 0), ordersPerSecond },
    targets: [
      target(
        'throughput',
        'projection + validation',
        ordersPerSecond,
        '>=',
        MIN_ORDERS_PER_SECOND,
        'orders/s',
      ),
    ],
    tables: [
      {
        title:
          '2. Projection + validation on one core (3 items, a fee, a discount, a refund; add/main/info body)',
        header: ['orders timed', 'facts/order', 'ms', 'orders/s', 'target', 'result'],
        rows: [
          [
            count,
            factsPerOrder,
            round(ms, 0),
            ordersPerSecond,
            `>= ${MIN_ORDERS_PER_SECOND.toLocaleString('en-US')}`,
            verdict(ordersPerSecond >= MIN_ORDERS_PER_SECOND),
          ],
        ],
        notes: [`after ${options.warmUpMs} ms of warm-up, over ${options.orders} distinct orders`],
      },
    ],
  };
}
