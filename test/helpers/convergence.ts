import type { Fact } from '../../lib/events/types';
import type { OrderCenterCall, OrderData } from '../../lib/order-center/types';
import { project } from '../../lib/projection';
import type { LocalOrderCenter } from '../../local/order-center';
import { comparableOrder } from '../../local/start/order-check';

/** An order with its after-sale items in SubOrderID order: Baidu keeps them in arrival order. */
export function normalized(stored: OrderData | StoredData): OrderData {
  const data = stored as OrderData; // the stand-in stores what the client sent

  const subs = data.EXT.SubsOrder;
  if (!subs) return data;
  const items = [...subs.Items].sort((a, b) => (a.SubOrderID < b.SubOrderID ? -1 : 1));
  return { ...data, EXT: { ...data.EXT, SubsOrder: { ...subs, Items: items } } };
}

type StoredData = ReturnType<LocalOrderCenter['orders']>[number]['data'];

/**
 * What differs between the Order Center's copy of each order and the projection of its facts, on everything
 * but Mtime and the after-sale MTimes (only whole writes carry them: docs/contract.md section 8), parcels
 * included (add/main/logistics).
 */
export function mismatches(
  oc: Pick<LocalOrderCenter, 'order'>,
  factsByOrder: ReadonlyMap<string, readonly Fact[]>,
  appKey: string,
): string[] {
  const problems: string[] = [];
  for (const [orderId, facts] of factsByOrder) {
    const projection = project(orderId, facts, { bizAppId: appKey });
    if (!projection.ready) {
      problems.push(`${orderId}: no snapshot`);
      continue;
    }
    const stored = oc.order(orderId, projection.view.openId, appKey);
    if (!stored) problems.push(`${orderId}: not in the Order Center`);
    else if (
      JSON.stringify(sortKeys(comparableOrder(stored.data))) !==
      JSON.stringify(sortKeys(comparableOrder(projection.view.data)))
    ) {
      problems.push(`${orderId}: differs`);
    } else if (
      JSON.stringify(stored.logistics) !== JSON.stringify(projection.view.logistics.map((p) => p.express))
    ) {
      problems.push(`${orderId}: logistics differ`);
    }
  }
  return problems;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/** Per order: how many add/main/info Baidu accepted, and how many updates it answered rows_affected "0". */
export function addsAndMisses(oc: LocalOrderCenter): Map<string, { adds: number; misses: number }> {
  const counts = new Map<string, { adds: number; misses: number }>();
  const entry = (id: string) => {
    let c = counts.get(id);
    if (!c) counts.set(id, (c = { adds: 0, misses: 0 }));
    return c;
  };
  for (const request of oc.requests) {
    const reply = request.reply as {
      errno?: number;
      data?: { resource_id: string; rows_affected: string }[];
    };
    if (reply?.errno !== 0 || !Array.isArray(reply.data)) continue;
    for (const item of reply.data) {
      if ((request.call as OrderCenterCall) === 'add/main/info' && item.rows_affected !== '0')
        entry(item.resource_id).adds += 1;
      if (item.rows_affected === '0') entry(item.resource_id).misses += 1;
    }
  }
  return counts;
}

/** After-sale items that appear more than once in a stored order. */
export function duplicatedSubOrders(oc: LocalOrderCenter): string[] {
  return oc.orders().flatMap((o) => {
    const ids = (o.data.EXT.SubsOrder?.Items ?? []).map((i) => i.SubOrderID);
    return ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `${o.data.ResourceID}/${id}`);
  });
}
