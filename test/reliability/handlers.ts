import { lifecycleHandler, type LifecycleHandler, type LifecycleTriggers } from '../../lib/http';
import type { EventService, ServiceSource } from '../../lib/service';
import { triggers as orderClosed } from '../../functions/orderClosed';
import { triggers as orderCompleted } from '../../functions/orderCompleted';
import { triggers as orderPlaced } from '../../functions/orderPlaced';
import { triggers as paymentSucceeded } from '../../functions/paymentSucceeded';
import { triggers as refundRequested } from '../../functions/refundRequested';
import { triggers as refundUpdated } from '../../functions/refundUpdated';
import { triggers as shipped } from '../../functions/shipped';
import type { RefundCallbackRouteKey, RouteKey } from './deliveries';

/** The lifecycle functions, each wired as its function file wires it, to the service given. */
function functionHandlers(service: ServiceSource<EventService>) {
  const wire = (triggers: (service: ServiceSource<EventService>) => LifecycleTriggers): LifecycleHandler =>
    lifecycleHandler(triggers(service));
  return {
    orderPlaced: wire(orderPlaced),
    paymentSucceeded: wire(paymentSucceeded),
    shipped: wire(shipped),
    refundRequested: wire(refundRequested),
    refundUpdated: wire(refundUpdated),
    orderCompleted: wire(orderCompleted),
    orderClosed: wire(orderClosed),
  };
}

/** The handler that serves each lifecycle route (serverless.yml httpApi events), wired to the service given. */
export function routeHandlers(service: ServiceSource<EventService>): Record<RouteKey, LifecycleHandler> {
  const fn = functionHandlers(service);
  return {
    'POST /events/order-placed': fn.orderPlaced,
    'POST /baidu/payment-notify': fn.paymentSucceeded,
    'POST /events/payment-succeeded': fn.paymentSucceeded,
    'POST /events/shipped': fn.shipped,
    'POST /events/refund-requested': fn.refundRequested,
    'POST /events/refund-updated': fn.refundUpdated,
    'POST /events/order-completed': fn.orderCompleted,
    'POST /events/order-closed': fn.orderClosed,
  };
}

/** The handler that serves each refund callback of Baidu's cashier, wired to the service given. */
export function refundCallbackHandlers(
  service: ServiceSource<EventService>,
): Record<RefundCallbackRouteKey, LifecycleHandler> {
  const fn = functionHandlers(service);
  return { 'POST /baidu/refund-audit': fn.refundRequested, 'POST /baidu/refund-notify': fn.refundUpdated };
}
