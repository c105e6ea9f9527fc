/**
 * The Order Center's data model and the bodies of its seven calls, as Baidu defines them
 * (../shared/order-center-api.zh.md, corrected by docs/contract.md section 8).
 * Field names are Baidu's, PascalCase included: these objects go on the wire as they are.
 */

export const CATE_PHYSICAL = 1;
export const CATE_VIRTUAL = 2;
export type CateID = typeof CATE_PHYSICAL | typeof CATE_VIRTUAL;

/** Main order status. Which values are allowed depends on CateID (see STATUSES_BY_CATE). */
export type MainStatus = 1 | 2 | 3 | 4 | 5 | 6 | 100 | 200 | 300;
export const STATUSES_BY_CATE: Readonly<Record<CateID, readonly MainStatus[]>> = {
  [CATE_PHYSICAL]: [1, 5, 6, 100, 200, 300],
  [CATE_VIRTUAL]: [1, 2, 3, 4, 100, 200, 300],
};

/** After-sale status: requested 400, processing 401, refunded 402, exchanged 403, closed 404, rejected 407. */
export type SubStatus = 400 | 401 | 402 | 403 | 404 | 407;
export const SUB_STATUSES: readonly SubStatus[] = [400, 401, 402, 403, 404, 407];

/** After-sale kind: refund only 1, exchange 2, return and refund 3. */
export type OrderType = 1 | 2 | 3;
export const ORDER_TYPES: readonly OrderType[] = [1, 2, 3];

/** Payment.Method: online 1, cash on delivery 2. */
export type PaymentMethod = 1 | 2;

/** DetailPage.Status: hidden 0, shown 1, shown and linked 2. */
export type DetailPageStatus = 0 | 1 | 2;

export interface DetailPage {
  Status?: DetailPageStatus;
  Name?: string;
  H5Schema?: string;
  SwanSchema?: string;
  IPhoneSchema?: string;
  AndroidSchema?: string;
}

export interface SkuAttr {
  Name: string;
  Value: string;
}

export interface Product {
  ID: string;
  Name: string;
  Desc?: string;
  Quantity: number;
  /** fen */
  Price: number;
  /** fen */
  PayPrice: number;
  /** at most 5 */
  ImgList?: string[];
  DetailPage?: DetailPage;
  /** at most 4 */
  SkuAttr?: SkuAttr[];
}

export interface PaymentSpecInfo {
  Name: string;
  /** fen */
  Value: number;
  Quantity: number;
}

export interface Payment {
  Method: PaymentMethod;
  /** fen: Σ PayPrice×Quantity + Σ PaymentInfo Value×Quantity − Σ PreferentialInfo Value×Quantity */
  Amount: number;
  IsPayment: boolean;
  /** Unix seconds; 0 when not paid */
  Time?: number;
  PreferentialInfo?: PaymentSpecInfo[];
  PaymentInfo?: PaymentSpecInfo[];
}

export interface MainOrder {
  Products: Product[];
  Payment: Payment;
  Appraise?: DetailPage;
  OrderDetail?: DetailPage;
}

export interface RefundProduct {
  ID: string;
  Quantity: number;
  /** fen */
  Amount: number;
}

export interface Refund {
  /** fen */
  Amount: number;
  Product: RefundProduct[];
}

export interface SubOrderItem {
  SubOrderID: string;
  SubStatus: SubStatus;
  CTime: number;
  MTime: number;
  OrderType: OrderType;
  OrderDetail?: DetailPage;
  Refund?: Refund;
}

export interface SubsOrder {
  /** the SubStatus of the most recently changed after-sale order */
  Status: SubStatus;
  Items: SubOrderItem[];
}

export interface OrderExt {
  MainOrder: MainOrder;
  SubsOrder?: SubsOrder;
}

/** One order as the Order Center stores it: the Data item of add/main/info. */
export interface OrderData {
  ResourceID: string;
  BizAPPID: string;
  CateID: CateID;
  Title: string;
  Ctime: number;
  Mtime: number;
  Status: MainStatus;
  EXT: OrderExt;
}

/** Identifies an order inside every call's Data item. */
export interface OrderKey {
  CateID: CateID;
  BizAPPID: string;
  ResourceID: string;
}

/**
 * update/main/info: the main order's content and status. No Title, Ctime or Mtime: the SDKs' item has none
 * (docs/contract.md section 8), so a new Title or Ctime needs a whole add/main/info.
 */
export interface UpdateMainInfoItem extends OrderKey {
  Status: MainStatus;
  EXT: { MainOrder: MainOrder };
}

/** update/main/status: the status only; no Mtime (docs/contract.md section 8). */
export interface UpdateMainStatusItem extends OrderKey {
  Status: MainStatus;
}

/** append/sub/info and update/sub/info: whole after-sale items. */
export interface SubInfoItem extends OrderKey {
  EXT: { SubsOrder: SubsOrder };
}

/** update/sub/status: SubOrderID and SubStatus only; no MTime (docs/contract.md section 8). */
export interface SubStatusEntry {
  SubOrderID: string;
  SubStatus: SubStatus;
}

/** update/sub/status: after-sale statuses only. */
export interface SubStatusItem extends OrderKey {
  EXT: { SubsOrder: { Status: SubStatus; Items: SubStatusEntry[] } };
}

/** Express.Type: the merchant's parcel to the buyer 1, the buyer's parcel back (a return) 2. */
export type ExpressType = 1 | 2;
export const EXPRESS_SHIPMENT: ExpressType = 1;
export const EXPRESS_RETURN: ExpressType = 2;
export const EXPRESS_TYPES: readonly ExpressType[] = [EXPRESS_SHIPMENT, EXPRESS_RETURN];

/**
 * One parcel (add/main/logistics, baidu/smartapp-openapi-go openapi/submitOrderLogistics.go): Code is
 * Baidu's carrier code (it validates them), ID the tracking number, Name the carrier's name; Status is
 * always 0 ("开发者默认传 0").
 */
export interface Express {
  Code: string;
  ID: string;
  Name: string;
  Status: 0;
  Type: ExpressType;
}

/**
 * add/main/logistics: creates or updates one parcel of an order (Baidu keys it by order and Type).
 * `Express` is one object, as the Go, PHP and C# SDKs send it; the Java SDK and the page's example show
 * an array. This type is the one place that choice is made: the body builder (projection/bodies.ts) and
 * the schema (schemas.ts, `logisticsItem`) follow it, and the type checker holds them to it.
 */
export interface LogisticsItem extends OrderKey {
  EXT: { MainOrder: { Express: Express } };
}

/** The seven calls, by the last part of their path. */
export type OrderCenterCall =
  | 'add/main/info'
  | 'update/main/info'
  | 'update/main/status'
  | 'append/sub/info'
  | 'update/sub/info'
  | 'update/sub/status'
  | 'add/main/logistics';

export const ORDER_CENTER_CALLS: readonly OrderCenterCall[] = [
  'add/main/info',
  'update/main/info',
  'update/main/status',
  'append/sub/info',
  'update/sub/info',
  'update/sub/status',
  'add/main/logistics',
];

/** Exact paths. update/sub/status is under /ordercenter/ like the rest, whatever the API page says. */
export const CALL_PATHS: Readonly<Record<OrderCenterCall, string>> = {
  'add/main/info': '/rest/2.0/smartapp/ordercenter/app/add/main/info',
  'update/main/info': '/rest/2.0/smartapp/ordercenter/app/update/main/info',
  'update/main/status': '/rest/2.0/smartapp/ordercenter/app/update/main/status',
  'append/sub/info': '/rest/2.0/smartapp/ordercenter/app/append/sub/info',
  'update/sub/info': '/rest/2.0/smartapp/ordercenter/app/update/sub/info',
  'update/sub/status': '/rest/2.0/smartapp/ordercenter/app/update/sub/status',
  'add/main/logistics': '/rest/2.0/smartapp/ordercenter/app/add/main/logistics',
};

export interface CallBodies {
  'add/main/info': { Data: [OrderData] };
  'update/main/info': { Data: UpdateMainInfoItem[] };
  'update/main/status': { Data: UpdateMainStatusItem[] };
  'append/sub/info': { Data: SubInfoItem[] };
  'update/sub/info': { Data: SubInfoItem[] };
  'update/sub/status': { Data: SubStatusItem[] };
  'add/main/logistics': { Data: LogisticsItem[] };
}

export type CallBody<C extends OrderCenterCall> = CallBodies[C];

/** Query parameters besides access_token. */
export interface CallQuery {
  openId: string;
  /** the cashier's orderId, where known */
  sceneId?: string;
  /** the cashier appKey, where known */
  pmAppKey?: string;
}

/** One item of a reply's data array. */
export interface ReplyItem {
  biz_app_id: string;
  cate_id: string | number;
  resource_id: string;
  rows_affected: string | number;
}

/** What the Order Center answers on success (errno 0). */
export interface OrderCenterReply {
  errno: number;
  msg: string;
  data: ReplyItem[];
}
