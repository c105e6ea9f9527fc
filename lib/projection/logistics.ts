import type { Fact, OrderCategory } from '../events/types';
import { carrierName } from '../order-center/carriers';
import { EXPRESS_RETURN, EXPRESS_SHIPMENT, type Express, type ExpressType } from '../order-center/types';

interface ParcelInput {
  carrier?: string;
  carrierName?: string;
  trackingNo?: string;
}

/** One parcel the Order Center should show, with the fact that last set it (the report names it). */
export interface Parcel {
  express: Express;
  eventId: string;
}

function toExpress(parcel: ParcelInput | undefined, type: ExpressType): Express | undefined {
  const code = parcel?.carrier?.trim();
  const id = parcel?.trackingNo?.trim();
  // A first-release fact may carry a carrier without a tracking number: no parcel Baidu could show.
  if (!code || !id || !parcel) return undefined;
  return { Code: code, ID: id, Name: carrierName(code, parcel.carrierName), Status: 0, Type: type };
}

/**
 * The order's parcels as add/main/logistics carries them (docs/contract.md section 4): the latest shipment
 * with a carrier (Type 1) and the latest return parcel of a requested after-sale order (Type 2), in that
 * order. A later one replaces an earlier one of its Type (a re-shipment, a corrected tracking number).
 * None for a virtual order. Facts in fold order.
 */
export function logisticsOf(ordered: readonly Fact[], category: OrderCategory): Parcel[] {
  if (category !== 'physical') return [];
  const requested = new Set<string>();
  let shipment: Parcel | undefined;
  let returned: Parcel | undefined;
  const parcel = (express: Express | undefined, fact: Fact) => express && { express, eventId: fact.eventId };
  for (const fact of ordered) {
    if (fact.kind === 'shipped')
      shipment = parcel(toExpress(fact.shipment, EXPRESS_SHIPMENT), fact) ?? shipment;
    if (fact.kind !== 'refund-requested' && fact.kind !== 'refund-updated') continue;
    if (!fact.refund) continue;
    if (fact.kind === 'refund-requested') requested.add(fact.refund.id);
    // An update of an after-sale order nobody requested is an anomaly (after-sale.ts): its parcel is not shown.
    if (!requested.has(fact.refund.id)) continue;
    returned = parcel(toExpress(fact.refund.returnShipment, EXPRESS_RETURN), fact) ?? returned;
  }
  return [shipment, returned].filter((p) => p !== undefined);
}
