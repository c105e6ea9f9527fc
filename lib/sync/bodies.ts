import type { CallBodies, OrderCenterCall, OrderData } from '../order-center/types';
import {
  addMainInfoBody,
  addMainLogisticsBody,
  appendSubInfoBody,
  updateMainInfoBody,
  updateMainStatusBody,
  updateSubInfoBody,
  updateSubStatusBody,
} from '../projection';
import type { PlannedCall } from './plan';

/** The request body of one planned call for one order. */
export function bodyFor(step: PlannedCall, order: OrderData): CallBodies[OrderCenterCall] {
  switch (step.call) {
    case 'add/main/info':
      return addMainInfoBody(order);
    case 'update/main/info':
      return updateMainInfoBody([order]);
    case 'update/main/status':
      return updateMainStatusBody([order]);
    case 'append/sub/info':
      return appendSubInfoBody(order, step.subOrderIds);
    case 'update/sub/info':
      return updateSubInfoBody(order, step.subOrderIds);
    case 'update/sub/status':
      return updateSubStatusBody(order, step.subOrderIds);
    case 'add/main/logistics':
      return addMainLogisticsBody(order, step.express);
  }
}
