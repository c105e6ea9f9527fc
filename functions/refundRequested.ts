import type { MerchantEventType } from '../lib/events';
import { lifecycleHandler, merchantEventInvoke, merchantEventRoute, type RouteTable } from '../lib/http';

/**
 * refundRequested.
 * The buyer asked for an after-sale: a new sub order, SubStatus 400 (requested).
 *
 * Triggers (CONTRACT section 2):
 * - `POST /events/refund-requested`, signed with X-Signature; answered 202 once recorded.
 * - a direct invoke whose event is the merchant event itself (unsigned: IAM decides who may invoke).
 * Once the event is recorded, the order is pushed for up to 1.5 s; reconcile does what is left.
 */
const TYPE: MerchantEventType = 'refund-requested';

export const routes: RouteTable = {
  'POST /events/refund-requested': merchantEventRoute(TYPE),
};

export const handler = lifecycleHandler({ routes, invoke: merchantEventInvoke(TYPE) });
