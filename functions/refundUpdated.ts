import type { MerchantEventType } from '../lib/events';
import { eventService, type EventService, type ServiceSource } from '../lib/service';
import {
  lifecycleHandler,
  merchantEventInvoke,
  merchantEventRoute,
  refundNotifyRoute,
  type LifecycleTriggers,
} from '../lib/http';

/**
 * refundUpdated.
 * An after-sale moved on: its SubStatus (401 processing, 402 refunded, ... 407 rejected).
 *
 * Triggers (docs/contract.md section 2):
 * - `POST /events/refund-updated`, signed with X-Signature; answered 202 once recorded.
 * - `POST /baidu/refund-notify` (退款结果, docs/contract.md section 5b): Baidu's cashier says how a refund batch
 *   ended, form-encoded and RSA-signed; answered `{"errno":0,"msg":"success","data":{}}` once recorded.
 *   Succeeded: the linked after-sale order shows refunded (402). Failed: an anomaly for a person.
 * - a direct invoke whose event is the merchant event itself (unsigned: IAM decides who may invoke).
 * Once the event is recorded, the order is pushed for up to 1.5 s (the cashier's: 1.2 s); reconcile does what is left.
 */
const TYPE: MerchantEventType = 'refund-updated';

/** The function's triggers, wired to the service they use: the container's below, or a test's own. */
export const triggers = (service: ServiceSource<EventService>): LifecycleTriggers => ({
  routes: {
    'POST /events/refund-updated': merchantEventRoute(TYPE, service),
    'POST /baidu/refund-notify': refundNotifyRoute(service),
  },
  invoke: merchantEventInvoke(TYPE, service),
});

export const handler = lifecycleHandler(triggers(eventService()));
