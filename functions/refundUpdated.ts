import type { MerchantEventType } from '../lib/events';
import {
  lifecycleHandler,
  merchantEventInvoke,
  merchantEventRoute,
  refundNotifyRoute,
  type RouteTable,
} from '../lib/http';

/**
 * refundUpdated.
 * An after-sale moved on: its SubStatus (401 processing, 402 refunded, ... 407 rejected).
 *
 * Triggers (CONTRACT section 2):
 * - `POST /events/refund-updated`, signed with X-Signature; answered 202 once recorded.
 * - `POST /baidu/refund-notify` (退款结果, CONTRACT section 5b): Baidu's cashier says how a refund batch
 *   ended, form-encoded and RSA-signed; answered `{"errno":0,"msg":"success","data":{}}` once recorded.
 *   Succeeded: the linked after-sale order shows refunded (402). Failed: an anomaly for a person.
 * - a direct invoke whose event is the merchant event itself (unsigned: IAM decides who may invoke).
 * Once the event is recorded, the order is pushed for up to 1.5 s (the cashier's: 1.2 s); reconcile does what is left.
 */
const TYPE: MerchantEventType = 'refund-updated';

export const routes: RouteTable = {
  'POST /events/refund-updated': merchantEventRoute(TYPE),
  'POST /baidu/refund-notify': refundNotifyRoute(),
};

export const handler = lifecycleHandler({ routes, invoke: merchantEventInvoke(TYPE) });
