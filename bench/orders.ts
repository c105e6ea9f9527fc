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

/** Which facts are pushed (and acknowledged) before the timed run, and which make the order due for it. */
export interface BenchOrder {
  orderId: string;
  acknowledged: Fact[];
  due: Fact[];
}

/**
 * What the timed run has to send for an order:
 * - status-only: paid, then shipped without a parcel: update/main/status alone, batched per user;
 * - parcel: paid, then shipped with a carrier and tracking number: update/main/status and
 *   add/main/logistics, so the order is pushed alone;
 * - new: placed and paid, never sent: add/main/info;
 * - refund: shipped (its parcel sent before), then a refund requested: append/sub/info (the after-sale order).
 */
export type Shape = 'status-only' | 'parcel' | 'new' | 'refund';

export function benchOrder(orderId: string, openId: string, shape: Shape, seed: number): BenchOrder {
  const [placed, paid, shipped, refundRequested] = orderWithRefund(orderId, openId, seed);
  if (
    placed?.kind !== 'placed' ||
    paid?.kind !== 'paid' ||
    shipped?.kind !== 'shipped' ||
    refundRequested?.kind !== 'refund-requested'
  ) {
    throw new BenchOrderError(`${orderId}: unexpected lifecycle`);
  }
  switch (shape) {
    case 'status-only':
      return { orderId, acknowledged: [placed, paid], due: [withoutParcel(shipped)] };
    case 'parcel':
      return { orderId, acknowledged: [placed, paid], due: [shipped] };
    case 'new':
      return { orderId, acknowledged: [], due: [placed, paid] };
    case 'refund':
      return { orderId, acknowledged: [placed, paid, shipped], due: [refundRequested] };
  }
}

/** Mixed: of each user's ten orders, four new, two status-only, two shipped with a parcel, two refunds. */
export const MIXED: readonly Shape[] = [
  'new',
  'new',
  'new',
  'new',
  'status-only',
  'status-only',
  'parcel',
  'parcel',
  'refund',
  'refund',
];
