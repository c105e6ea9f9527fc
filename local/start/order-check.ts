import type { OrderData } from '../../lib/order-center/types';
import { withoutModTimes } from '../../lib/sync/plan';
import {
  cateLabel,
  formatYuan,
  mainStatusLabel,
  orderTypeLabel,
  subStatusLabel,
} from '../order-center/labels';
import { CARRIER_NAMES } from '../order-center/model';
import type { StoredOrder } from '../order-center/store';

/** The order with its after-sale items in SubOrderID order: Baidu keeps them in arrival order. */
export function normalizedOrder<T extends OrderData | StoredOrder['data']>(data: T): T {
  const subs = data.EXT.SubsOrder;
  if (!subs) return data;
  const items = [...subs.Items].sort((a, b) =>
    a.SubOrderID < b.SubOrderID ? -1 : a.SubOrderID > b.SubOrderID ? 1 : 0,
  );
  return { ...data, EXT: { ...data.EXT, SubsOrder: { ...subs, Items: items } } };
}

/**
 * An order as it can be compared with the projection: items in SubOrderID order, and Mtime and the
 * after-sale MTimes left out, since only whole writes carry them (docs/contract.md section 8) and Baidu keeps the
 * last one sent. What the local Order Center stored is what the client sent, so it reads as OrderData.
 */
export function comparableOrder(data: OrderData | StoredOrder['data']): OrderData {
  return withoutModTimes(normalizedOrder(data as OrderData));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const show = (value: unknown): string => (value === undefined ? 'missing' : JSON.stringify(value));

/**
 * Where two JSON values differ, as `path: actual ≠ expected`, at most `limit` of them. Keys whose value is
 * undefined count as absent (JSON drops them too); key order does not matter, array order does.
 */
export function differences(actual: unknown, expected: unknown, limit = 10, at = ''): string[] {
  const found: string[] = [];
  const walk = (a: unknown, e: unknown, path: string) => {
    if (found.length >= limit) return;
    if (Array.isArray(a) && Array.isArray(e)) {
      if (a.length !== e.length) found.push(`${path || '(root)'}: ${a.length} items ≠ ${e.length} items`);
      for (let i = 0; i < Math.min(a.length, e.length); i++) walk(a[i], e[i], `${path}[${i}]`);
      return;
    }
    if (isObject(a) && isObject(e)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(e)])].sort();
      for (const key of keys) walk(a[key], e[key], path ? `${path}.${key}` : key);
      return;
    }
    if (a !== e) found.push(`${path || '(root)'}: ${show(a)} ≠ ${show(e)}`);
  };
  walk(actual, expected, at);
  return found;
}

/** One order as a few lines of text, in the words 百度App > 订单 uses: what a merchant checks at a glance. */
export function describeOrder(order: StoredOrder): string[] {
  const { data } = order;
  const payment = data.EXT.MainOrder.Payment;
  const lines = [
    `${data.Title}  [${cateLabel(data.CateID)}]  ${mainStatusLabel(data.CateID, data.Status)}  ` +
      `${formatYuan(payment.Amount)} ${payment.IsPayment ? '已支付' : '未支付'}`,
    `  订单号 ${data.ResourceID} · open_id ${order.openId}`,
    `  状态经过: ${order.statusHistory.map(({ status }) => mainStatusLabel(data.CateID, status)).join(' → ')}`,
  ];
  for (const parcel of order.logistics) {
    const name = parcel.Name || (CARRIER_NAMES[parcel.Code] ?? parcel.Code);
    lines.push(`  ${parcel.Type === 1 ? '物流' : '退货物流'}: ${name} ${parcel.ID}`);
  }
  for (const sub of data.EXT.SubsOrder?.Items ?? []) {
    const amount = sub.Refund ? ` ${formatYuan(sub.Refund.Amount)}` : '';
    const history = (order.subStatusHistory[sub.SubOrderID] ?? []).map(subStatusLabel).join(' → ');
    lines.push(
      `  售后 ${sub.SubOrderID}: ${orderTypeLabel(sub.OrderType)}${amount} ${subStatusLabel(sub.SubStatus)}` +
        (history ? ` (${history})` : ''),
    );
  }
  return lines;
}
