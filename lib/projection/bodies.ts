import type {
  CallBodies,
  Express,
  LogisticsItem,
  OrderData,
  OrderKey,
  SubOrderItem,
  SubsOrder,
  SubStatusItem,
  UpdateMainInfoItem,
  UpdateMainStatusItem,
} from '../order-center/types';
import { InvalidInputError } from '../validation';

function orderKey(order: OrderData): OrderKey {
  return { CateID: order.CateID, BizAPPID: order.BizAPPID, ResourceID: order.ResourceID };
}

function atLeastOneOrder(orders: readonly OrderData[], call: string): void {
  if (orders.length === 0) {
    throw new InvalidInputError(
      [{ path: 'orders', message: 'must hold at least one order' }],
      `cannot build ${call}`,
    );
  }
}

/** The order's after-sale items with these ids, in the order's own item order; every id must be there. */
function pickSubOrders(order: OrderData, subOrderIds: readonly string[], call: string): SubsOrder {
  const subs = order.EXT.SubsOrder;
  const issues =
    subOrderIds.length === 0 ? [{ path: 'subOrderIds', message: 'must hold at least one id' }] : [];
  const wanted = new Set(subOrderIds);
  const items: SubOrderItem[] =
    subs === undefined ? [] : subs.Items.filter((item) => wanted.has(item.SubOrderID));
  if (items.length < wanted.size) {
    const known = new Set(items.map((item) => item.SubOrderID));
    subOrderIds.forEach((id, index) => {
      if (!known.has(id)) {
        issues.push({
          path: `subOrderIds[${index}]`,
          message: `${id} is not an after-sale order of ${order.ResourceID}`,
        });
      }
    });
  }
  if (subs === undefined || issues.length > 0) throw new InvalidInputError(issues, `cannot build ${call}`);
  return { Status: subs.Status, Items: items };
}

/** add/main/info: the whole order, after-sale included (it overwrites what Baidu holds). */
export function addMainInfoBody(order: OrderData): CallBodies['add/main/info'] {
  return { Data: [order] };
}

/**
 * update/main/info: each order's main content and status, without its after-sale orders. Title, Ctime and
 * Mtime are not fields of this call (docs/contract.md section 8): a new Title or Ctime goes out with add/main/info.
 */
export function updateMainInfoBody(orders: readonly OrderData[]): CallBodies['update/main/info'] {
  atLeastOneOrder(orders, 'update/main/info');
  return {
    Data: orders.map((order): UpdateMainInfoItem => ({
      ...orderKey(order),
      Status: order.Status,
      EXT: { MainOrder: order.EXT.MainOrder },
    })),
  };
}

/** update/main/status: the status of each order, no Mtime (all of one user: open_id is one query parameter). */
export function updateMainStatusBody(orders: readonly OrderData[]): CallBodies['update/main/status'] {
  atLeastOneOrder(orders, 'update/main/status');
  return {
    Data: orders.map((order): UpdateMainStatusItem => ({
      ...orderKey(order),
      Status: order.Status,
    })),
  };
}

/** append/sub/info: the new after-sale orders, as one item (the only shape every official SDK sends). */
export function appendSubInfoBody(
  order: OrderData,
  subOrderIds: readonly string[],
): CallBodies['append/sub/info'] {
  return {
    Data: [{ ...orderKey(order), EXT: { SubsOrder: pickSubOrders(order, subOrderIds, 'append/sub/info') } }],
  };
}

/** update/sub/info: changed after-sale orders, whole (Baidu overwrites each one). */
export function updateSubInfoBody(
  order: OrderData,
  subOrderIds: readonly string[],
): CallBodies['update/sub/info'] {
  return {
    Data: [{ ...orderKey(order), EXT: { SubsOrder: pickSubOrders(order, subOrderIds, 'update/sub/info') } }],
  };
}

/** update/sub/status: only the SubOrderID and status of the after-sale orders whose status changed (no MTime). */
export function updateSubStatusBody(
  order: OrderData,
  subOrderIds: readonly string[],
): CallBodies['update/sub/status'] {
  const subs = pickSubOrders(order, subOrderIds, 'update/sub/status');
  const item: SubStatusItem = {
    ...orderKey(order),
    EXT: {
      SubsOrder: {
        Status: subs.Status,
        Items: subs.Items.map((sub) => ({ SubOrderID: sub.SubOrderID, SubStatus: sub.SubStatus })),
      },
    },
  };
  return { Data: [item] };
}

/** add/main/logistics: one parcel of the order, Express as one object (types.ts LogisticsItem says why). */
export function addMainLogisticsBody(order: OrderData, express: Express): CallBodies['add/main/logistics'] {
  const item: LogisticsItem = { ...orderKey(order), EXT: { MainOrder: { Express: { ...express } } } };
  return { Data: [item] };
}
