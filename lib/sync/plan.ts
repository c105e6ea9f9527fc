import type { AckedOrder, LogisticsAck } from '../ledger/types';
import type { Express, OrderCenterCall, OrderData, SubOrderItem } from '../order-center/types';
import type { Parcel } from '../projection/logistics';
import { same } from './same';

/**
 * One Order Center call a push has to make; sub-order calls name the after-sale items they carry, a
 * logistics call the parcel.
 */
export type PlannedCall =
  | { call: 'add/main/info' }
  | { call: 'update/main/info' }
  | { call: 'update/main/status' }
  | { call: 'append/sub/info' | 'update/sub/info' | 'update/sub/status'; subOrderIds: string[] }
  | { call: 'add/main/logistics'; express: Express };

export interface PlanOptions {
  /** resend the whole order with add/main/info whatever Baidu acknowledged */
  force?: boolean;
}

function subItems(order: OrderData): SubOrderItem[] {
  return order.EXT.SubsOrder?.Items ?? [];
}

/**
 * Mtime and an after-sale item's MTime only travel with whole writes (add/main/info, append/sub/info,
 * update/sub/info); no call updates them alone (docs/contract.md section 8). So a change of them alone is no
 * reason to call Baidu, and what Baidu holds may keep an older one.
 */
function timeless(item: SubOrderItem): SubOrderItem {
  return { ...item, MTime: 0 };
}

/** What update/sub/status can change: the status (its time does not travel with it). */
function onlyStatusDiffers(acked: SubOrderItem, desired: SubOrderItem): boolean {
  return same({ ...acked, SubStatus: 0, MTime: 0 }, { ...desired, SubStatus: 0, MTime: 0 });
}

/**
 * The order as far as it matters to the user: everything but Mtime and the after-sale MTimes. Applying a
 * plan makes this equal to the desired order's; the times may stay as the last whole write left them.
 */
export function withoutModTimes(order: OrderData): OrderData {
  const subs = order.EXT.SubsOrder;
  const { Mtime: _mtime, ...rest } = order;
  if (!subs) return { ...rest, Mtime: 0 };
  return {
    ...rest,
    Mtime: 0,
    EXT: { ...order.EXT, SubsOrder: { ...subs, Items: subs.Items.map(timeless) } },
  };
}

/**
 * The fewest calls that take the Order Center from `acked` (what it confirmed) to `desired`.
 * Pure. Main content first, then new after-sale items, then changed ones.
 */
export function plan(
  acked: AckedOrder | undefined,
  desired: OrderData,
  options: PlanOptions = {},
): PlannedCall[] {
  if (!acked || options.force || acked.CateID !== desired.CateID || acked.BizAPPID !== desired.BizAPPID) {
    return [{ call: 'add/main/info' }];
  }
  // Only add/main/info carries Title and Ctime; it overwrites the after-sale data too, and sends it whole.
  if (acked.Title !== desired.Title || acked.Ctime !== desired.Ctime) return [{ call: 'add/main/info' }];
  const ackedById = new Map(subItems(acked).map((item) => [item.SubOrderID, item]));
  const desiredItems = subItems(desired);
  const desiredIds = new Set(desiredItems.map((item) => item.SubOrderID));
  // No call removes an after-sale item; only a whole add/main/info (which overwrites them) can.
  if ([...ackedById.keys()].some((id) => !desiredIds.has(id))) return [{ call: 'add/main/info' }];

  const calls: PlannedCall[] = [];
  // update/main/info carries the status too; Mtime alone is no reason to call (see timeless).
  if (!same(acked.EXT.MainOrder, desired.EXT.MainOrder)) calls.push({ call: 'update/main/info' });
  else if (acked.Status !== desired.Status) calls.push({ call: 'update/main/status' });

  const appended: string[] = [];
  const rewritten: string[] = [];
  const restatused: string[] = [];
  for (const item of desiredItems) {
    const before = ackedById.get(item.SubOrderID);
    if (!before) appended.push(item.SubOrderID);
    else if (same(timeless(before), timeless(item))) continue;
    else if (onlyStatusDiffers(before, item)) restatused.push(item.SubOrderID);
    else rewritten.push(item.SubOrderID);
  }
  if (appended.length > 0) calls.push({ call: 'append/sub/info', subOrderIds: appended });
  if (rewritten.length > 0) calls.push({ call: 'update/sub/info', subOrderIds: rewritten });
  if (restatused.length > 0) calls.push({ call: 'update/sub/status', subOrderIds: restatused });

  const subsStatusChanged =
    desired.EXT.SubsOrder !== undefined && acked.EXT.SubsOrder?.Status !== desired.EXT.SubsOrder.Status;
  if (subsStatusChanged && appended.length + rewritten.length + restatused.length === 0) {
    // Only the summary status moved: carry it with the status of the most recently changed item.
    const latest = [...desiredItems].sort((a, b) => b.MTime - a.MTime)[0];
    if (latest) calls.push({ call: 'update/sub/status', subOrderIds: [latest.SubOrderID] });
  }
  return calls;
}

/**
 * The parcels to send once the order exists at Baidu: each one whose Express differs from what Baidu last
 * answered for its Type (docs/contract.md section 4). A parcel Baidu refused is not sent again until it
 * changes; `force` sends every parcel again, refused ones included. Pure.
 */
export function planLogistics(
  acked: AckedOrder | undefined,
  parcels: readonly Parcel[],
  options: PlanOptions = {},
): PlannedCall[] {
  return parcels
    .filter(({ express }) => options.force || !same(ackedParcel(acked, express.Type)?.Express, express))
    .map(({ express }) => ({ call: 'add/main/logistics', express }));
}

/** Every call of a push: the order's own (plan) first, since a parcel needs the order at Baidu, then its parcels. */
export function planPush(
  acked: AckedOrder | undefined,
  view: { data: OrderData; logistics: readonly Parcel[] },
  options: PlanOptions = {},
): PlannedCall[] {
  return [...plan(acked, view.data, options), ...planLogistics(acked, view.logistics, options)];
}

function ackedParcel(acked: AckedOrder | undefined, type: Express['Type']): LogisticsAck | undefined {
  return acked?.logistics?.find((entry) => entry.Express.Type === type);
}

/** `acked` with Baidu's answer for one parcel in place of the earlier one of its Type. */
export function withParcel(acked: AckedOrder, answer: LogisticsAck): AckedOrder {
  const others = (acked.logistics ?? []).filter((entry) => entry.Express.Type !== answer.Express.Type);
  const logistics = [...others, answer].sort((a, b) => a.Express.Type - b.Express.Type);
  return { ...acked, logistics };
}

/**
 * What the Order Center holds after `step` succeeded, starting from `acked`: exactly what the call's Data
 * item carries (docs/contract.md section 8), nothing more. Parcels are kept beside the order: add/main/info
 * carries none, and is taken not to drop them (a push that finds the order missing sends them again). Pure.
 */
export function applyCall(acked: AckedOrder | undefined, desired: OrderData, step: PlannedCall): AckedOrder {
  if (step.call === 'add/main/logistics') return withParcel(acked ?? desired, { Express: step.express });
  if (step.call === 'add/main/info' || !acked) {
    return acked?.logistics ? { ...desired, logistics: acked.logistics } : desired;
  }
  switch (step.call) {
    case 'update/main/info':
      // Title, Ctime and Mtime are not in this call: Baidu keeps what the add set.
      return { ...acked, Status: desired.Status, EXT: { ...acked.EXT, MainOrder: desired.EXT.MainOrder } };
    case 'update/main/status':
      return { ...acked, Status: desired.Status };
    default: {
      const wanted = new Map(subItems(desired).map((item) => [item.SubOrderID, item]));
      const carried = step.subOrderIds.map((id) => wanted.get(id)).filter((item) => item !== undefined);
      const carriedIds = new Set(step.subOrderIds);
      const kept = subItems(acked).map((item) => {
        if (!carriedIds.has(item.SubOrderID)) return item;
        const next = wanted.get(item.SubOrderID) ?? item;
        // update/sub/status carries no MTime: the item keeps the one its last whole write set.
        return step.call === 'update/sub/status' ? { ...item, SubStatus: next.SubStatus } : next;
      });
      const rank = new Map(subItems(desired).map((item, i) => [item.SubOrderID, i]));
      const items = (step.call === 'append/sub/info' ? [...kept, ...carried] : kept).sort(
        (a, b) => (rank.get(a.SubOrderID) ?? Infinity) - (rank.get(b.SubOrderID) ?? Infinity),
      );
      const status = desired.EXT.SubsOrder?.Status ?? acked.EXT.SubsOrder?.Status ?? items[0]?.SubStatus;
      if (status === undefined) return acked;
      return { ...acked, EXT: { ...acked.EXT, SubsOrder: { Status: status, Items: items } } };
    }
  }
}

/** The call names of a plan, for logs and reports. */
export function callNames(calls: readonly PlannedCall[]): OrderCenterCall[] {
  return calls.map((c) => c.call);
}
