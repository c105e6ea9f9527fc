import type { Fact } from '../../lib/events/types';
import type { OrderCenterCall, OrderData } from '../../lib/order-center/types';
import { project } from '../../lib/projection';
import { applyCall, plan } from '../../lib/sync/plan';
import { lifecycle, seeded } from '../helpers/lifecycles';

/**
 * What the storm's 1,000 order lives cost Baidu when every event is pushed as it arrives and nothing fails:
 * the calls per order, by call. The storm itself (npm run test:reliability) prints its own figures, but
 * those depend on how busy the machine is (a slow machine leaves more to reconcile, which adds orders
 * whole); this one does not.
 */
const ORDERS = 1_000;
const SEED = 20_261_128;
const AFTER_SALE: ReadonlySet<Fact['kind']> = new Set(['refund-requested', 'refund-updated']);

function lives(): Fact[][] {
  const random = seeded(SEED);
  return Array.from({ length: ORDERS }, (_, i) =>
    lifecycle({
      orderId: `storm-${i}`,
      openId: `storm-user-${i % 100}`,
      category: i % 4 === 0 ? 'virtual' : 'physical',
      random,
    }),
  );
}

describe('the calls an order costs, event by event', () => {
  const byCall = new Map<OrderCenterCall, number>();
  const afterSaleMainCalls: string[] = [];

  beforeAll(() => {
    for (const facts of lives()) {
      let acked: OrderData | undefined;
      for (let k = 1; k <= facts.length; k++) {
        const projection = project(facts[0]!.orderId, facts.slice(0, k), { bizAppId: 'app-key' });
        if (!projection.ready) continue;
        const desired = projection.view.data;
        for (const step of plan(acked, desired)) {
          byCall.set(step.call, (byCall.get(step.call) ?? 0) + 1);
          if (AFTER_SALE.has(facts[k - 1]!.kind) && step.call.includes('/main/'))
            afterSaleMainCalls.push(`${facts[0]!.orderId}#${k}: ${step.call}`);
          acked = applyCall(acked, desired, step);
        }
      }
    }
    const total = [...byCall.values()].reduce((a, b) => a + b, 0);
    const parts = [...byCall].sort().map(([call, n]) => `${call} ${(n / ORDERS).toFixed(2)}`);
    console.log(`calls per order, event by event: ${(total / ORDERS).toFixed(2)} (${parts.join(', ')})`);
  });

  it('sends no main-order call for an after-sale event', () => {
    expect(afterSaleMainCalls).toEqual([]);
  });

  it('adds each order once: nothing in these lives needs a whole resend', () => {
    expect(byCall.get('add/main/info')).toBe(ORDERS);
  });
});
