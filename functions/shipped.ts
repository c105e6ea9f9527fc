import type { MerchantEventType } from '../lib/events';
import { merchantEventService, type MerchantEventService, type ServiceSource } from '../lib/service';
import {
  lifecycleHandler,
  merchantEventInvoke,
  merchantEventRoute,
  type LifecycleTriggers,
} from '../lib/http';

/**
 * shipped.
 * The goods left (virtual goods: fulfilled): Order Center status 6, virtual 4.
 *
 * Triggers (docs/contract.md section 2):
 * - `POST /events/shipped`, signed with X-Signature; answered 202 once recorded.
 * - a direct invoke whose event is the merchant event itself (unsigned: IAM decides who may invoke).
 * Once the event is recorded, the order is pushed for up to 1.5 s; reconcile does what is left.
 */
const TYPE: MerchantEventType = 'shipped';

/** The function's triggers, wired to the service they use: the container's below, or a test's own. */
export const triggers = (service: ServiceSource<MerchantEventService>): LifecycleTriggers => ({
  routes: {
    'POST /events/shipped': merchantEventRoute(TYPE, service),
  },
  invoke: merchantEventInvoke(TYPE, service),
});

export const handler = lifecycleHandler(triggers(merchantEventService()));
