import type { Fact } from '../lib/events/types';
import { lifecycle, seeded } from '../test/helpers/lifecycles';

/**
 * A realistic order's whole life (test/helpers/lifecycles: 3 items, a fee, a discount): placed, paid,
 * shipped, a refund requested then settled, completed. The first seed from `seed` on that gives one.
 */
export function orderWithRefund(orderId: string, openId: string, seed = 1): Fact[] {
  for (let s = seed; ; s++) {
    const facts = lifecycle({ orderId, openId, category: 'physical', random: seeded(s) });
    const kinds = facts.map((f) => f.kind);
    if (kinds.includes('refund-requested') && kinds.includes('shipped') && kinds.at(-1) === 'completed') {
      return facts;
    }
  }
}
