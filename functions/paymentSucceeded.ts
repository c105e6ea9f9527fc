import type { MerchantEventType } from '../lib/events';
import { eventService, type EventService, type ServiceSource } from '../lib/service';
import {
  cashierNotifyRoute,
  lifecycleHandler,
  merchantEventInvoke,
  merchantEventRoute,
  type LifecycleTriggers,
} from '../lib/http';

/**
 * paymentSucceeded.
 * The order is paid: Order Center status 5, virtual 2. Two senders can say so, and both are recorded
 * (the cashier's word as a cashier fact, kept for the amount check of docs/contract.md section 3):
 *
 * - `POST /baidu/payment-notify`: Baidu's cashier, form-encoded and RSA-signed, answered
 *   `{"errno":0,"msg":"success","data":{"isConsumed":2}}` within 2 s once recorded (so the push gets
 *   1.2 s). Baidu retries a notify until it reads that answer: a retry is a duplicate and gets it too.
 *   A notify for an order whose snapshot has not come yet is kept and goes out with order-placed.
 * - `POST /events/payment-succeeded`: the merchant's event, signed with X-Signature, answered 202.
 * - a direct invoke, whose event is the merchant's payment-succeeded event (unsigned: IAM guards it).
 */
const TYPE: MerchantEventType = 'payment-succeeded';

/** The function's triggers, wired to the service they use: the container's below, or a test's own. */
export const triggers = (service: ServiceSource<EventService>): LifecycleTriggers => ({
  routes: {
    'POST /baidu/payment-notify': cashierNotifyRoute(service),
    'POST /events/payment-succeeded': merchantEventRoute(TYPE, service),
  },
  invoke: merchantEventInvoke(TYPE, service),
});

export const handler = lifecycleHandler(triggers(eventService()));
