import type {
  CallBodies,
  MainStatus,
  OrderCenterCall,
  OrderData,
  OrderKey,
  ReplyItem,
  SubInfoItem,
  SubOrderItem,
  SubStatus,
  SubStatusItem,
  SubsOrder,
  UpdateMainInfoItem,
  UpdateMainStatusItem,
} from '../../lib/order-center/types';

/** One order as the local Order Center holds it, with every status it went through. */
export interface StoredOrder {
  openId: string;
  /** the order after every add/update applied */
  data: OrderData;
  /** every Status value the order took, in order, with the receivedAt of the request that set it */
  statusHistory: { status: MainStatus; at: number }[];
  /** per SubOrderID, every SubStatus it took, in order */
  subStatusHistory: Record<string, SubStatus[]>;
}

/** The page's own update/main/info example leaves Title, Ctime and Mtime out; the schema accepts that. */
type LenientUpdateMainInfoItem = Omit<UpdateMainInfoItem, 'Title' | 'Ctime' | 'Mtime'> &
  Partial<Pick<UpdateMainInfoItem, 'Title' | 'Ctime' | 'Mtime'>>;

type DataItem<C extends OrderCenterCall> = CallBodies[C]['Data'][number];
/** Applies one Data item; false means Baidu would answer rows_affected "0" for it (and nothing changed). */
type ItemApplier<C extends OrderCenterCall> = (item: DataItem<C>, openId: string, at: number) => boolean;

function recordStatus(order: StoredOrder, status: MainStatus, at: number): void {
  if (order.statusHistory.at(-1)?.status !== status) order.statusHistory.push({ status, at });
}

function recordSubStatus(order: StoredOrder, subOrderId: string, status: SubStatus): void {
  const history = (order.subStatusHistory[subOrderId] ??= []);
  if (history.at(-1) !== status) history.push(status);
}

/**
 * The Order Center's orders, keyed by (BizAPPID, ResourceID, open_id). Pure: no I/O, no clock;
 * it receives validated call bodies and answers one reply item per Data item.
 */
export class OrderStore {
  private readonly byKey = new Map<string, StoredOrder>();

  private readonly appliers: { [C in OrderCenterCall]: ItemApplier<C> } = {
    'add/main/info': (item, openId, at) => this.addMainInfo(item, openId, at),
    'update/main/info': (item, openId, at) => this.updateMainInfo(item, openId, at),
    'update/main/status': (item, openId, at) => this.updateMainStatus(item, openId, at),
    'append/sub/info': (item, openId) => this.appendSubInfo(item, openId),
    'update/sub/info': (item, openId) => this.updateSubInfo(item, openId),
    'update/sub/status': (item, openId) => this.updateSubStatus(item, openId),
  };

  /** Applies a validated body item by item, in order; each item stands or falls alone. */
  apply<C extends OrderCenterCall>(call: C, openId: string, body: CallBodies[C], at: number): ReplyItem[] {
    const applier = this.appliers[call] as ItemApplier<C>;
    return (body.Data as DataItem<C>[]).map((item) => replyItem(item, applier(item, openId, at)));
  }

  all(): StoredOrder[] {
    return [...this.byKey.values()].map((order) => structuredClone(order));
  }

  find(resourceId: string, openId?: string, bizAppId?: string): StoredOrder | undefined {
    const found = [...this.byKey.values()].find(
      (order) =>
        order.data.ResourceID === resourceId &&
        (openId === undefined || order.openId === openId) &&
        (bizAppId === undefined || order.data.BizAPPID === bizAppId),
    );
    return found && structuredClone(found);
  }

  clear(): void {
    this.byKey.clear();
  }

  private locate(item: OrderKey, openId: string): StoredOrder | undefined {
    return this.byKey.get(storeKey(item, openId));
  }

  private addMainInfo(item: OrderData, openId: string, at: number): boolean {
    const key = storeKey(item, openId);
    const data = structuredClone(item);
    const order = this.byKey.get(key) ?? { openId, data, statusHistory: [], subStatusHistory: {} };
    // Page: an existing ResourceID is overwritten whole, main and after-sale data alike.
    order.data = data;
    recordStatus(order, item.Status, at);
    for (const sub of item.EXT.SubsOrder?.Items ?? []) recordSubStatus(order, sub.SubOrderID, sub.SubStatus);
    this.byKey.set(key, order);
    return true;
  }

  private updateMainInfo(item: LenientUpdateMainInfoItem, openId: string, at: number): boolean {
    const order = this.locate(item, openId);
    if (!order) return false;
    const { Title, Ctime, Mtime, Status } = item;
    order.data = {
      ...order.data,
      Title: Title ?? order.data.Title,
      Ctime: Ctime ?? order.data.Ctime,
      Mtime: Mtime ?? order.data.Mtime,
      Status,
      EXT: { ...order.data.EXT, MainOrder: structuredClone(item.EXT.MainOrder) },
    };
    recordStatus(order, Status, at);
    return true;
  }

  private updateMainStatus(item: UpdateMainStatusItem, openId: string, at: number): boolean {
    const order = this.locate(item, openId);
    if (!order) return false;
    order.data.Status = item.Status;
    if (item.Mtime !== undefined) order.data.Mtime = item.Mtime;
    recordStatus(order, item.Status, at);
    return true;
  }

  private appendSubInfo(item: SubInfoItem, openId: string): boolean {
    const order = this.locate(item, openId);
    if (!order) return false;
    const incoming = item.EXT.SubsOrder.Items;
    const existing = new Set(subItems(order).map((sub) => sub.SubOrderID));
    // Appending a known id would show the user one after-sale order twice: refuse, so a client notices.
    if (incoming.some((sub) => existing.has(sub.SubOrderID))) return false;
    setSubsOrder(order, item.EXT.SubsOrder.Status, [...subItems(order), ...structuredClone(incoming)]);
    return true;
  }

  private updateSubInfo(item: SubInfoItem, openId: string): boolean {
    const order = this.locate(item, openId);
    if (!order || !allKnown(order, item.EXT.SubsOrder.Items)) return false;
    const replacements = new Map(item.EXT.SubsOrder.Items.map((sub) => [sub.SubOrderID, sub]));
    const items = subItems(order).map((sub) => structuredClone(replacements.get(sub.SubOrderID) ?? sub));
    setSubsOrder(order, item.EXT.SubsOrder.Status, items);
    return true;
  }

  private updateSubStatus(item: SubStatusItem, openId: string): boolean {
    const order = this.locate(item, openId);
    if (!order || !allKnown(order, item.EXT.SubsOrder.Items)) return false;
    const items = subItems(order).map((sub) => ({ ...sub }));
    for (const entry of item.EXT.SubsOrder.Items) {
      const sub = items.find((candidate) => candidate.SubOrderID === entry.SubOrderID) as SubOrderItem;
      sub.SubStatus = entry.SubStatus;
      if (entry.MTime !== undefined) sub.MTime = entry.MTime;
    }
    setSubsOrder(order, item.EXT.SubsOrder.Status, items);
    return true;
  }
}

function storeKey(item: Pick<OrderKey, 'BizAPPID' | 'ResourceID'>, openId: string): string {
  return JSON.stringify([item.BizAPPID, item.ResourceID, openId]);
}

function subItems(order: StoredOrder): SubOrderItem[] {
  return order.data.EXT.SubsOrder?.Items ?? [];
}

function allKnown(order: StoredOrder, listed: { SubOrderID: string }[]): boolean {
  const known = new Set(subItems(order).map((sub) => sub.SubOrderID));
  return listed.every((sub) => known.has(sub.SubOrderID));
}

function setSubsOrder(order: StoredOrder, status: SubStatus, items: SubOrderItem[]): void {
  const subsOrder: SubsOrder = { Status: status, Items: items };
  order.data.EXT = { ...order.data.EXT, SubsOrder: subsOrder };
  for (const sub of items) recordSubStatus(order, sub.SubOrderID, sub.SubStatus);
}

/** Baidu echoes each Data item's key; rows_affected is a string, as in the page's example. */
export function replyItem(item: OrderKey, applied: boolean): ReplyItem {
  return {
    biz_app_id: item.BizAPPID,
    cate_id: String(item.CateID),
    resource_id: item.ResourceID,
    rows_affected: applied ? '1' : '0',
  };
}
