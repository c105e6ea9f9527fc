import type { MerchantEventType } from '../lib/events';
import { merchantEventService, type MerchantEventService, type ServiceSource } from '../lib/service';
import {
  lifecycleHandler,
  merchantEventInvoke,
  merchantEventRoute,
  type LifecycleTriggers,
} from '../lib/http';

/**
 * orderPlaced.
 * The order's snapshot, unpaid: Order Center status 1. Facts that came before it (a cashier notify)
 * were kept waiting for it and go out with it.
 *
 * Triggers (docs/contract.md section 2):
 * - `POST /events/order-placed`, signed with X-Signature; answered 202 once recorded.
 * - a direct invoke whose event is the merchant event itself (unsigned: IAM decides who may invoke).
 * Once the event is recorded, the order is pushed for up to 1.5 s; reconcile does what is left.
 */
const TYPE: MerchantEventType = 'order-placed';

/** The function's triggers, wired to the service they use: the container's below, or a test's own. */
export const triggers = (service: ServiceSource<MerchantEventService>): LifecycleTriggers => ({
  routes: {
    'POST /events/order-placed': merchantEventRoute(TYPE, service),
  },
  invoke: merchantEventInvoke(TYPE, service),
});

export const handler = lifecycleHandler(triggers(merchantEventService()));
