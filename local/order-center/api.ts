/**
 * Baidu's Order Center calls as this stand-in reads them: one row per call in CALLS (path, how many Data
 * items, the Data item's fields), from docs/contract.md section 8 (the official SDKs' request structs, e.g.
 * baidu/smartapp-openapi-go openapi/addOrderInfo.go) and the API page. Independent of lib/ on purpose.
 *
 * Strict like Baidu: a field a call does not have is errno 2002 naming its path; so are a wrong type, a
 * missing required field, a status outside the CateID's set and a wrong number of Data items. Lenient
 * where Baidu must be, because its own Go SDK sends it: every field with its zero value (0, "", false,
 * null for an unset slice) and DetailPage.Status as a string ("2").
 */
import {
  CARRIER_NAMES,
  CATE_IDS,
  EXPRESS_TYPES,
  MAIN_STATUSES,
  ORDER_TYPES,
  PAYMENT_METHODS,
  SUB_STATUSES,
  type CateID,
  type FieldIssue,
} from './model';

/** The calls, by the last part of their path. A new call is one more row in CALLS (and in the store). */
export type CallName =
  | 'add/main/info'
  | 'update/main/info'
  | 'update/main/status'
  | 'append/sub/info'
  | 'update/sub/info'
  | 'update/sub/status'
  | 'add/main/logistics';

type Check = (value: Record<string, unknown>, path: string) => FieldIssue[];

/** One field's rule. `optional`: the key may be absent. `nullable`: null stands for "unset" (Go nil slice). */
export type FieldSpec =
  | { type: 'string'; optional?: boolean; nonEmpty?: boolean }
  | {
      type: 'int';
      optional?: boolean;
      min?: number;
      oneOf?: readonly number[];
      /** strings taken as well, e.g. the Go SDK's "2" for DetailPage.Status */
      strings?: readonly string[];
      what?: string;
    }
  | { type: 'bool'; optional?: boolean }
  | { type: 'object'; optional?: boolean; fields: Readonly<Record<string, FieldSpec>>; check?: Check }
  | { type: 'array'; optional?: boolean; nullable?: boolean; of: FieldSpec; min?: number; max?: number };

export interface CallSpec {
  path: string;
  /** how many Data items one request may carry */
  items: { min: number; max: number; why: string };
  item: FieldSpec & { type: 'object' };
}

// ---------------------------------------------------------------------------------------------
// Field rules (API page "POST请求参数说明", docs/contract.md section 8)

const text = (nonEmpty = false): FieldSpec => ({ type: 'string', nonEmpty });
const optionalText: FieldSpec = { type: 'string', optional: true };
const seconds: FieldSpec = { type: 'int', min: 0, what: 'Unix seconds' };
const fen: FieldSpec = { type: 'int', min: 0, what: 'fen' };
const quantity: FieldSpec = { type: 'int', min: 1 };
const oneOf = (values: readonly number[], what: string): FieldSpec => ({ type: 'int', oneOf: values, what });

/** API page, DetailPage: every field optional. */
const detailPage: FieldSpec = {
  type: 'object',
  optional: true,
  fields: {
    Status: {
      type: 'int',
      optional: true,
      oneOf: [0, 1, 2],
      strings: ['0', '1', '2', ''],
      what: 'a DetailPage status (0 hidden, 1 shown, 2 linked)',
    },
    Name: optionalText,
    H5Schema: optionalText,
    SwanSchema: optionalText,
    IPhoneSchema: optionalText,
    AndroidSchema: optionalText,
  },
};

const paymentSpecInfo: FieldSpec = {
  type: 'object',
  fields: { Name: text(true), Value: fen, Quantity: quantity },
};

const product: FieldSpec = {
  type: 'object',
  fields: {
    ID: text(true),
    Name: text(true),
    Desc: optionalText,
    Quantity: quantity,
    Price: fen,
    PayPrice: fen,
    ImgList: { type: 'array', optional: true, nullable: true, of: text(true), max: 5 },
    DetailPage: detailPage,
    SkuAttr: {
      type: 'array',
      optional: true,
      nullable: true,
      max: 4,
      of: { type: 'object', fields: { Name: text(true), Value: text() } },
    },
  },
};

const payment: FieldSpec = {
  type: 'object',
  fields: {
    Method: oneOf(PAYMENT_METHODS, 'a payment method (1 online, 2 cash on delivery)'),
    Amount: fen,
    IsPayment: { type: 'bool' },
    Time: { ...seconds, optional: true },
    PreferentialInfo: { type: 'array', optional: true, nullable: true, of: paymentSpecInfo },
    PaymentInfo: { type: 'array', optional: true, nullable: true, of: paymentSpecInfo },
  },
};

const mainOrder: FieldSpec = {
  type: 'object',
  fields: {
    Products: { type: 'array', of: product, min: 1 },
    Payment: payment,
    Appraise: detailPage,
    OrderDetail: detailPage,
  },
  check: amountFormula,
};

const subStatus = oneOf(SUB_STATUSES, 'an after-sale status');

const subOrderItem: FieldSpec = {
  type: 'object',
  fields: {
    SubOrderID: text(true),
    SubStatus: subStatus,
    CTime: seconds,
    MTime: seconds,
    OrderType: oneOf(ORDER_TYPES, 'an after-sale type (1 refund only, 2 exchange, 3 return and refund)'),
    OrderDetail: detailPage,
    Refund: {
      type: 'object',
      optional: true,
      fields: {
        Amount: fen,
        Product: {
          type: 'array',
          nullable: true,
          of: { type: 'object', fields: { ID: text(true), Quantity: quantity, Amount: fen } },
        },
      },
    },
  },
};

/** Whole after-sale items must have distinct ids (one would overwrite the other); status entries may repeat. */
const subsOrder = (items: FieldSpec, options: { optional?: boolean; unique?: boolean } = {}): FieldSpec => ({
  type: 'object',
  optional: options.optional,
  fields: { Status: subStatus, Items: { type: 'array', of: items, min: 1 } },
  check: options.unique ? uniqueSubOrderIds : undefined,
});

const orderKey = {
  BizAPPID: text(true),
  CateID: oneOf(CATE_IDS, 'an order category (1 physical, 2 virtual)'),
  ResourceID: text(true),
};
const mainStatus: FieldSpec = { type: 'int', what: 'a main order status' };

function item(fields: Record<string, FieldSpec>, check?: Check): FieldSpec & { type: 'object' } {
  return { type: 'object', fields, check };
}

const ext = (fields: Record<string, FieldSpec>): FieldSpec => ({ type: 'object', fields });

/**
 * Go SDK openapi/submitOrderLogistics.go, SubmitOrderLogisticsRequestDataItemEXTMainOrderExpress: every
 * field a string or int64, so every one is sent (Name may be "", Go's zero value). Status: "开发者默认传 0".
 */
const express: FieldSpec = {
  type: 'object',
  fields: {
    Code: text(true),
    ID: text(true),
    Name: text(),
    Status: oneOf([0], 'an Express status (developers send 0)'),
    Type: oneOf(EXPRESS_TYPES, 'an Express type (1 the merchant ships, 2 the buyer returns)'),
  },
  check: knownCarrier,
};

// ---------------------------------------------------------------------------------------------
// The calls: one row each (Go SDK: openapi/<addOrderInfo|updateOrderInfo|updateOrderStatus|
// addOrderSubInfo|updateOrderSubInfo|updateOrderSubStatus|submitOrderLogistics>.go, *RequestDataItem)

const BASE = '/rest/2.0/smartapp/ordercenter/app/';
const ONE = { min: 1, max: 1, why: 'takes exactly one item' };
// The page publishes no upper bound for the batched calls.
const SEVERAL = { min: 1, max: Number.MAX_SAFE_INTEGER, why: 'takes at least one item' };

export const CALLS: Readonly<Record<CallName, CallSpec>> = {
  'add/main/info': {
    path: `${BASE}add/main/info`,
    items: { ...ONE, why: 'takes exactly one item: one order per call, no batch import' },
    item: item(
      {
        ...orderKey,
        Title: text(true),
        Ctime: seconds,
        Mtime: seconds,
        Status: mainStatus,
        // SubsOrder: the page's Data.Ext (the Go SDK's add struct has only MainOrder).
        EXT: ext({
          MainOrder: mainOrder,
          SubsOrder: subsOrder(subOrderItem, { optional: true, unique: true }),
        }),
      },
      statusOfCate,
    ),
  },
  'update/main/info': {
    path: `${BASE}update/main/info`,
    items: SEVERAL,
    item: item({ ...orderKey, Status: mainStatus, EXT: ext({ MainOrder: mainOrder }) }, statusOfCate),
  },
  'update/main/status': {
    path: `${BASE}update/main/status`,
    items: SEVERAL,
    item: item({ ...orderKey, Status: mainStatus }, statusOfCate),
  },
  'append/sub/info': {
    path: `${BASE}append/sub/info`,
    items: ONE,
    item: item({ ...orderKey, EXT: ext({ SubsOrder: subsOrder(subOrderItem, { unique: true }) }) }),
  },
  'update/sub/info': {
    path: `${BASE}update/sub/info`,
    items: ONE,
    item: item({ ...orderKey, EXT: ext({ SubsOrder: subsOrder(subOrderItem, { unique: true }) }) }),
  },
  'update/sub/status': {
    path: `${BASE}update/sub/status`,
    items: ONE,
    item: item({
      ...orderKey,
      EXT: ext({
        SubsOrder: subsOrder({ type: 'object', fields: { SubOrderID: text(true), SubStatus: subStatus } }),
      }),
    }),
  },
  // Create or update one parcel of an order; the Go SDK's Data is a slice, the service sends one item.
  'add/main/logistics': {
    path: `${BASE}add/main/logistics`,
    items: SEVERAL,
    item: item({ ...orderKey, EXT: ext({ MainOrder: ext({ Express: express }) }) }),
  },
};

export const CALL_NAMES = Object.keys(CALLS) as CallName[];

export const CALL_BY_PATH: ReadonlyMap<string, CallName> = new Map(
  CALL_NAMES.map((call) => [CALLS[call].path, call]),
);

// ---------------------------------------------------------------------------------------------
// Cross-field rules

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt(value: unknown): value is number {
  return Number.isInteger(value);
}

function join(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** API page, Data.Status: which statuses exist depends on CateID. */
function statusOfCate(value: Record<string, unknown>, path: string): FieldIssue[] {
  const { CateID: cate, Status: status } = value;
  if (!isInt(status) || !CATE_IDS.includes(cate as CateID)) return [];
  const allowed: readonly number[] = MAIN_STATUSES[cate as CateID];
  if (allowed.includes(status)) return [];
  return [
    {
      path: join(path, 'Status'),
      message: `${status} is not a status of CateID ${String(cate)} (allowed: ${allowed.join(', ')})`,
    },
  ];
}

function lineTotal(lines: unknown, price: string): number | undefined {
  if (lines === undefined || lines === null) return 0;
  if (!Array.isArray(lines)) return undefined;
  let total = 0;
  for (const line of lines) {
    if (!isRecord(line) || !isInt(line[price]) || !isInt(line.Quantity)) return undefined;
    total += line[price] * line.Quantity;
  }
  return total;
}

/** API page, Data.Ext.MainOrder.Payment: Amount = Σ PayPrice×Quantity + Σ PaymentInfo − Σ PreferentialInfo. */
function amountFormula(value: Record<string, unknown>, path: string): FieldIssue[] {
  const pay = value.Payment;
  if (!isRecord(pay) || !isInt(pay.Amount)) return [];
  const products = lineTotal(value.Products, 'PayPrice');
  const fees = lineTotal(pay.PaymentInfo, 'Value');
  const discounts = lineTotal(pay.PreferentialInfo, 'Value');
  if (products === undefined || fees === undefined || discounts === undefined) return [];
  const expected = products + fees - discounts;
  if (pay.Amount === expected) return [];
  return [
    {
      path: join(join(path, 'Payment'), 'Amount'),
      message: `must be ${expected} (Σ PayPrice×Quantity + Σ PaymentInfo − Σ PreferentialInfo), got ${pay.Amount}`,
    },
  ];
}

/** Baidu validates Express.Code against its carrier table. */
function knownCarrier(value: Record<string, unknown>, path: string): FieldIssue[] {
  const code = value.Code;
  if (typeof code !== 'string' || Object.hasOwn(CARRIER_NAMES, code)) return [];
  return [{ path: join(path, 'Code'), message: `${show(code)} is not a known carrier code` }];
}

function uniqueSubOrderIds(value: Record<string, unknown>, path: string): FieldIssue[] {
  if (!Array.isArray(value.Items)) return [];
  const seen = new Set<unknown>();
  const issues: FieldIssue[] = [];
  value.Items.forEach((sub: unknown, i) => {
    if (!isRecord(sub) || typeof sub.SubOrderID !== 'string') return;
    if (seen.has(sub.SubOrderID)) {
      issues.push({ path: join(join(join(path, 'Items'), i), 'SubOrderID'), message: 'is used twice' });
    }
    seen.add(sub.SubOrderID);
  });
  return issues;
}

// ---------------------------------------------------------------------------------------------
// The walk

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}

function checkInt(spec: FieldSpec & { type: 'int' }, value: unknown, path: string): FieldIssue[] {
  if (typeof value === 'string' && spec.strings?.includes(value)) return [];
  const what = spec.what ? `an integer (${spec.what})` : 'an integer';
  if (!isInt(value)) return [{ path, message: `must be ${what}, got ${show(value)}` }];
  if (spec.min !== undefined && value < spec.min) {
    return [{ path, message: `must be at least ${spec.min}, got ${value}` }];
  }
  if (spec.oneOf && !spec.oneOf.includes(value)) {
    return [
      { path, message: `must be ${spec.what ?? 'one of'}: one of ${spec.oneOf.join(', ')}, got ${value}` },
    ];
  }
  return [];
}

function checkObject(
  spec: FieldSpec & { type: 'object' },
  value: unknown,
  path: string,
  call: CallName,
): FieldIssue[] {
  if (!isRecord(value)) return [{ path, message: `must be an object, got ${show(value)}` }];
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(spec.fields, key)) {
      const known = Object.keys(spec.fields).join(', ');
      issues.push({ path: join(path, key), message: `is not a field of ${call} here (fields: ${known})` });
    }
  }
  for (const [key, field] of Object.entries(spec.fields)) {
    issues.push(...checkField(field, value[key], join(path, key), call));
  }
  if (issues.length === 0 && spec.check) issues.push(...spec.check(value, path));
  return issues;
}

function checkArray(
  spec: FieldSpec & { type: 'array' },
  value: unknown,
  path: string,
  call: CallName,
): FieldIssue[] {
  if (!Array.isArray(value)) return [{ path, message: `must be an array, got ${show(value)}` }];
  if (spec.min !== undefined && value.length < spec.min) {
    return [{ path, message: `must hold at least ${spec.min} item(s), got ${value.length}` }];
  }
  if (spec.max !== undefined && value.length > spec.max) {
    return [{ path, message: `must hold at most ${spec.max} items, got ${value.length}` }];
  }
  const issues: FieldIssue[] = [];
  for (let i = 0; i < value.length; i++) issues.push(...checkField(spec.of, value[i], join(path, i), call));
  return issues;
}

function checkField(spec: FieldSpec, value: unknown, path: string, call: CallName): FieldIssue[] {
  if (value === undefined) return spec.optional ? [] : [{ path, message: 'is required' }];
  if (value === null && spec.type === 'array' && spec.nullable) return [];
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') return [{ path, message: `must be a string, got ${show(value)}` }];
      return spec.nonEmpty && value === '' ? [{ path, message: 'must not be empty' }] : [];
    case 'int':
      return checkInt(spec, value, path);
    case 'bool':
      return typeof value === 'boolean'
        ? []
        : [{ path, message: `must be true or false, got ${show(value)}` }];
    case 'object':
      return checkObject(spec, value, path, call);
    case 'array':
      return checkArray(spec, value, path, call);
  }
}

/** Every issue of `body` as a request of `call`, with its path (`Data[0].EXT.MainOrder.Payment.Amount`). */
export function requestIssues(call: CallName, body: unknown): FieldIssue[] {
  const spec = CALLS[call];
  if (!isRecord(body)) return [{ path: '', message: `the body must be a JSON object, got ${show(body)}` }];
  const issues: FieldIssue[] = Object.keys(body)
    .filter((key) => key !== 'Data')
    .map((key) => ({ path: key, message: `is not a field of ${call} (the body holds Data only)` }));
  const data = body.Data;
  if (data === undefined) return [...issues, { path: 'Data', message: 'is required' }];
  if (!Array.isArray(data)) {
    return [
      ...issues,
      {
        path: 'Data',
        message: `must be an array of items (every official SDK sends one), got ${show(data)}`,
      },
    ];
  }
  const { min, max, why } = spec.items;
  if (data.length < min || data.length > max) {
    return [...issues, { path: 'Data', message: `${call} ${why}, got ${data.length}` }];
  }
  data.forEach((entry: unknown, i) => issues.push(...checkField(spec.item, entry, join('Data', i), call)));
  return issues;
}
