import type { LifecycleHandler } from '../../lib/http';
import { handler as orderClosed } from '../../functions/orderClosed';
import { handler as orderCompleted } from '../../functions/orderCompleted';
import { handler as orderPlaced } from '../../functions/orderPlaced';
import { handler as paymentSucceeded } from '../../functions/paymentSucceeded';
import { handler as refundRequested } from '../../functions/refundRequested';
import { handler as refundUpdated } from '../../functions/refundUpdated';
import { handler as shipped } from '../../functions/shipped';
import type { RefundCallbackRouteKey, RouteKey } from './deliveries';

/** The handler that serves each lifecycle route (serverless.yml httpApi events). */
export const ROUTE_HANDLERS: Record<RouteKey, LifecycleHandler> = {
  'POST /events/order-placed': orderPlaced,
  'POST /baidu/payment-notify': paymentSucceeded,
  'POST /events/payment-succeeded': paymentSucceeded,
  'POST /events/shipped': shipped,
  'POST /events/refund-requested': refundRequested,
  'POST /events/refund-updated': refundUpdated,
  'POST /events/order-completed': orderCompleted,
  'POST /events/order-closed': orderClosed,
};

/** The handler that serves each refund callback of Baidu's cashier. */
export const REFUND_CALLBACK_HANDLERS: Record<RefundCallbackRouteKey, LifecycleHandler> = {
  'POST /baidu/refund-audit': refundRequested,
  'POST /baidu/refund-notify': refundUpdated,
};
