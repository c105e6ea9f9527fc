import type { MerchantEventType } from '../lib/events';
import { lifecycleHandler, merchantEventInvoke, merchantEventRoute, type RouteTable } from '../lib/http';

/**
 * refundUpdated.
 * An after-sale moved on: its SubStatus (401 processing, 402 refunded, ... 407 rejected).
 *
 * Triggers (CONTRACT section 2):
 * - `POST /events/refund-updated`, signed with X-Signature; answered 202 once recorded.
 * - a direct invoke whose event is the merchant event itself (unsigned: IAM decides who may invoke).
 * Once the event is recorded, the order is pushed for up to 1.5 s; reconcile does what is left.
 */
const TYPE: MerchantEventType = 'refund-updated';

export const routes: RouteTable = {
  'POST /events/refund-updated': merchantEventRoute(TYPE),
};

export const handler = lifecycleHandler({ routes, invoke: merchantEventInvoke(TYPE) });
