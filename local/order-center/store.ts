import type { CallName } from './api';
import type {
  Express,
  MainOrder,
  MainStatus,
  OrderData,
  OrderKey,
  ReplyItem,
  SubOrderItem,
  SubStatus,
  SubsOrder,
} from './model';

/** One order as the local Order Center holds it, with every status it went through. */
export interface StoredOrder {
  openId: string;
  /** the order after every add/update applied */
  data: OrderData;
  /** every Status value the order took, in order, with the receivedAt of the request that set it */
  statusHistory: { status: MainStatus; at: number }[];
  /** per SubOrderID, every SubStatus it took, in order */
  subStatusHistory: Record<string, SubStatus[]>;
  /**
   * the order's parcels (add/main/logistics), one per Express.Type, shipment first; kept apart from
   * `data`: no other call carries them, and an add/main/info that overwrites the order keeps them
   */
  logistics: Express[];
}

/** The Data item of each call, once api.ts's table has accepted it (docs/contract.md section 8). */
interface DataItems {
  'add/main/info': OrderData;
  'update/main/info': OrderKey & { Status: MainStatus; EXT: { MainOrder: MainOrder } };
  'update/main/status': OrderKey & { Status: MainStatus };
  'append/sub/info': OrderKey & { EXT: { SubsOrder: SubsOrder } };
  'update/sub/info': OrderKey & { EXT: { SubsOrder: SubsOrder } };
  'update/sub/status': OrderKey & {
    EXT: { SubsOrder: { Status: SubStatus; Items: { SubOrderID: string; SubStatus: SubStatus }[] } };
  };
  'add/main/logistics': OrderKey & { EXT: { MainOrder: { Express: Express } } };
}

/** A request body the validator accepted. */
export interface AcceptedBody<C extends CallName> {
  Data: DataItems[C][];
}

/** Applies one Data item; false means Baidu would answer rows_affected "0" for it (and nothing changed). */
type ItemApplier<C extends CallName> = (item: DataItems[C], openId: string, at: number) => boolean;

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

  /** What each call changes: one row per call, like api.ts's CALLS. */
  private readonly appliers: { [C in CallName]: ItemApplier<C> } = {
    'add/main/info': (item, openId, at) => this.addMainInfo(item, openId, at),
    'update/main/info': (item, openId, at) => this.updateMainInfo(item, openId, at),
    'update/main/status': (item, openId, at) => this.updateMainStatus(item, openId, at),
    'append/sub/info': (item, openId) => this.appendSubInfo(item, openId),
    'update/sub/info': (item, openId) => this.updateSubInfo(item, openId),
    'update/sub/status': (item, openId) => this.updateSubStatus(item, openId),
    'add/main/logistics': (item, openId) => this.addMainLogistics(item, openId),
  };

  /** Applies a validated body item by item, in order; each item stands or falls alone. */
  apply<C extends CallName>(call: C, openId: string, body: AcceptedBody<C>, at: number): ReplyItem[] {
    const applier = this.appliers[call] as ItemApplier<C>;
    return body.Data.map((item) => replyItem(item, applier(item, openId, at)));
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
    const order = this.byKey.get(key) ?? {
      openId,
      data,
      statusHistory: [],
      subStatusHistory: {},
      logistics: [],
    };
    // Page: an existing ResourceID is overwritten whole, main and after-sale data alike.
    order.data = data;
    recordStatus(order, item.Status, at);
    for (const sub of item.EXT.SubsOrder?.Items ?? []) recordSubStatus(order, sub.SubOrderID, sub.SubStatus);
    this.byKey.set(key, order);
    return true;
  }

  /** The main order's content and status; Title, Ctime and Mtime stay as the add set them. */
  private updateMainInfo(item: DataItems['update/main/info'], openId: string, at: number): boolean {
    const order = this.locate(item, openId);
    if (!order) return false;
    order.data = {
      ...order.data,
      Status: item.Status,
      EXT: { ...order.data.EXT, MainOrder: structuredClone(item.EXT.MainOrder) },
    };
    recordStatus(order, item.Status, at);
    return true;
  }

  /** The status alone; Mtime stays. */
  private updateMainStatus(item: DataItems['update/main/status'], openId: string, at: number): boolean {
    const order = this.locate(item, openId);
    if (!order) return false;
    order.data.Status = item.Status;
    recordStatus(order, item.Status, at);
    return true;
  }

  private appendSubInfo(item: DataItems['append/sub/info'], openId: string): boolean {
    const order = this.locate(item, openId);
    if (!order) return false;
    const incoming = item.EXT.SubsOrder.Items;
    const existing = new Set(subItems(order).map((sub) => sub.SubOrderID));
    // Appending a known id would show the user one after-sale order twice: refuse, so a client notices.
    if (incoming.some((sub) => existing.has(sub.SubOrderID))) return false;
    setSubsOrder(order, item.EXT.SubsOrder.Status, [...subItems(order), ...structuredClone(incoming)]);
    return true;
  }

  private updateSubInfo(item: DataItems['update/sub/info'], openId: string): boolean {
    const order = this.locate(item, openId);
    if (!order || !allKnown(order, item.EXT.SubsOrder.Items)) return false;
    const replacements = new Map(item.EXT.SubsOrder.Items.map((sub) => [sub.SubOrderID, sub]));
    const items = subItems(order).map((sub) => structuredClone(replacements.get(sub.SubOrderID) ?? sub));
    setSubsOrder(order, item.EXT.SubsOrder.Status, items);
    return true;
  }

  /** The statuses alone; each item's MTime stays. */
  private updateSubStatus(item: DataItems['update/sub/status'], openId: string): boolean {
    const order = this.locate(item, openId);
    if (!order || !allKnown(order, item.EXT.SubsOrder.Items)) return false;
    const items = subItems(order).map((sub) => ({ ...sub }));
    for (const entry of item.EXT.SubsOrder.Items) {
      const sub = items.find((candidate) => candidate.SubOrderID === entry.SubOrderID) as SubOrderItem;
      sub.SubStatus = entry.SubStatus;
    }
    setSubsOrder(order, item.EXT.SubsOrder.Status, items);
    return true;
  }

  /** Creates or replaces the order's parcel of this Express.Type; the order must exist. */
  private addMainLogistics(item: DataItems['add/main/logistics'], openId: string): boolean {
    const order = this.locate(item, openId);
    if (!order) return false;
    const parcel = structuredClone(item.EXT.MainOrder.Express);
    order.logistics = [...order.logistics.filter((p) => p.Type !== parcel.Type), parcel].sort(
      (a, b) => a.Type - b.Type,
    );
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
