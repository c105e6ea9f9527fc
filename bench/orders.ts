import type { Fact } from '../lib/events/types';
import { lifecycle, seeded } from '../test/helpers/lifecycles';

/**
 * A realistic order's whole life (test/helpers/lifecycles: 3 items, a fee, a discount): placed, paid,
 * shipped (with a parcel: a carrier and tracking number), a refund requested then settled, completed. The
 * first seed from `seed` on that gives one.
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

/**
 * The shipment without its parcel: only the order's status changes (update/main/status, which reconcile
 * batches per user). With the parcel, a shipment also sends add/main/logistics, and the order is pushed
 * alone (issue 16).
 */
export function withoutParcel(shipped: Fact): Fact {
  if (shipped.kind !== 'shipped') throw new BenchOrderError(`${shipped.eventId}: not a shipment`);
  const shippedAt = shipped.shipment?.shippedAt;
  return { ...shipped, shipment: shippedAt === undefined ? {} : { shippedAt } };
}

export class BenchOrderError extends Error {
  override readonly name = 'BenchOrderError';
}
