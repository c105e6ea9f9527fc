/**
 * The local Order Center's own reading of Baidu's data model: written from docs/contract.md section 8 and
 * ../shared/order-center-api.zh.md, and deliberately not imported from lib/ (ESLint forbids it). If the
 * client and this stand-in shared one description, a wrong reading would pass every test.
 */

export const CATE_PHYSICAL = 1;
export const CATE_VIRTUAL = 2;
export type CateID = typeof CATE_PHYSICAL | typeof CATE_VIRTUAL;
export const CATE_IDS: readonly CateID[] = [CATE_PHYSICAL, CATE_VIRTUAL];

/** API page, Data.Status tables: the statuses of each CateID. */
export type MainStatus = 1 | 2 | 3 | 4 | 5 | 6 | 100 | 200 | 300;
export const MAIN_STATUSES: Readonly<Record<CateID, readonly MainStatus[]>> = {
  [CATE_PHYSICAL]: [1, 5, 6, 100, 200, 300],
  [CATE_VIRTUAL]: [1, 2, 3, 4, 100, 200, 300],
};

/** API page, Data.Ext.SubsOrder.Status. */
export type SubStatus = 400 | 401 | 402 | 403 | 404 | 407;
export const SUB_STATUSES: readonly SubStatus[] = [400, 401, 402, 403, 404, 407];

export type OrderType = 1 | 2 | 3;
export const ORDER_TYPES: readonly OrderType[] = [1, 2, 3];

export type PaymentMethod = 1 | 2;
export const PAYMENT_METHODS: readonly PaymentMethod[] = [1, 2];

/**
 * DetailPage.Status is an int on the page; the Go SDK sends it as a string in some structs ("2", or ""
 * when left unset), and Baidu accepts its own SDK, so both are taken.
 */
export type DetailPageStatus = 0 | 1 | 2 | '0' | '1' | '2' | '';

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
  Price: number;
  PayPrice: number;
  /** null: the Go SDK's unset slice */
  ImgList?: string[] | null;
  DetailPage?: DetailPage;
  SkuAttr?: SkuAttr[] | null;
}

export interface PaymentSpecInfo {
  Name: string;
  Value: number;
  Quantity: number;
}

export interface Payment {
  Method: PaymentMethod;
  Amount: number;
  IsPayment: boolean;
  Time?: number;
  PreferentialInfo?: PaymentSpecInfo[] | null;
  PaymentInfo?: PaymentSpecInfo[] | null;
}

export interface MainOrder {
  Products: Product[];
  Payment: Payment;
  Appraise?: DetailPage;
  OrderDetail?: DetailPage;
}

export interface SubOrderItem {
  SubOrderID: string;
  SubStatus: SubStatus;
  CTime: number;
  MTime: number;
  OrderType: OrderType;
  OrderDetail?: DetailPage;
  Refund?: { Amount: number; Product: { ID: string; Quantity: number; Amount: number }[] | null };
}

export interface SubsOrder {
  Status: SubStatus;
  Items: SubOrderItem[];
}

/**
 * add/main/logistics, EXT.MainOrder.Express (baidu/smartapp-openapi-go openapi/submitOrderLogistics.go):
 * one object, as the Go, PHP and C# SDKs send it. Type 1 the merchant's parcel, 2 the buyer's return.
 */
export type ExpressType = 1 | 2;
export const EXPRESS_TYPES: readonly ExpressType[] = [1, 2];

export interface Express {
  Code: string;
  ID: string;
  Name: string;
  Status: number;
  Type: ExpressType;
}

/**
 * Carrier codes Baidu accepts as Express.Code (docs/contract.md section 8; Baidu's table is longer, this
 * stand-in knows these), with the name 百度App shows when a request's Name is empty. Any other code is
 * refused with errno 2002, as Baidu refuses a code it does not know.
 */
export const CARRIER_NAMES: Readonly<Record<string, string>> = {
  SFEXPRESS: '顺丰速运',
  STO: '申通快递',
  YTO: '圆通速递',
  ZTO: '中通快递',
  HTKY: '百世快递',
  YUNDA: '韵达快递',
  JD: '京东物流',
  EMS: 'EMS',
  ZTO56: '中通快运',
  DEPPON: '德邦快递',
  KYEXPRESS: '跨越速运',
  BSKY: '百世快运',
  ANE: '安能物流',
  JIAJI: '佳吉快运',
  KERRY: '嘉里物流',
  DHL: 'DHL',
  FEDEXIN: 'FedEx国际',
  UPS: 'UPS',
  TNT: 'TNT',
  ARAMEX: 'Aramex',
};

/** One order as the Order Center holds it (the Data item of add/main/info). */
export interface OrderData {
  ResourceID: string;
  BizAPPID: string;
  CateID: CateID;
  Title: string;
  Ctime: number;
  Mtime: number;
  Status: MainStatus;
  EXT: { MainOrder: MainOrder; SubsOrder?: SubsOrder };
}

/** Every call's Data item names its order by these. */
export interface OrderKey {
  BizAPPID: string;
  CateID: CateID;
  ResourceID: string;
}

/** One row of a reply's data: rows_affected is a string, as in the page's example and the SDKs' structs. */
export interface ReplyItem {
  biz_app_id: string;
  cate_id: string;
  resource_id: string;
  rows_affected: string;
}

/** One offending field of a request or of the host's options. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The host (a test, the local stack) configured the stand-in wrongly; names every offending field. */
export class InvalidOptionsError extends Error {
  override readonly name = 'InvalidOptionsError';
  constructor(
    readonly issues: FieldIssue[],
    context = 'invalid options',
  ) {
    super(`${context}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
}
