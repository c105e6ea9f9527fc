/**
 * yup schemas for the bodies of the seven Order Center calls: the rules of Baidu's API page as
 * corrected by docs/contract.md section 8. Each schema is built once, on first use; validation is
 * strict (no coercion: "1" is not a Quantity) and reports every issue, with yup's paths
 * (`Data[0].EXT.MainOrder.Products[0].Quantity`).
 */
import * as yup from 'yup';
import { computeOrderAmount } from '../events/amount';
import { once } from '../once';
import { InvalidInputError, issuesFromYup, type FieldIssue } from '../validation';
import {
  CATE_PHYSICAL,
  CATE_VIRTUAL,
  ORDER_TYPES,
  STATUSES_BY_CATE,
  SUB_STATUSES,
  type CallBodies,
  type CateID,
  type DetailPageStatus,
  EXPRESS_TYPES,
  type MainStatus,
  type OrderCenterCall,
  type OrderData,
  type Payment,
  type PaymentMethod,
  type PaymentSpecInfo,
  type Product,
  type SubStatus,
  type UpdateMainInfoItem,
} from './types';

type Params = yup.MessageParams;

const CATE_IDS: readonly CateID[] = [CATE_PHYSICAL, CATE_VIRTUAL];
const CATE_NAMES: Readonly<Record<CateID, string>> = {
  [CATE_PHYSICAL]: 'physical',
  [CATE_VIRTUAL]: 'virtual',
};
const ALL_MAIN_STATUSES: readonly MainStatus[] = [
  ...new Set(CATE_IDS.flatMap((c) => STATUSES_BY_CATE[c])),
].sort((a, b) => a - b);
const PAYMENT_METHODS: readonly PaymentMethod[] = [1, 2];
const DETAIL_PAGE_STATUSES: readonly DetailPageStatus[] = [0, 1, 2];
const MAX_IMAGES = 5;
const MAX_SKU_ATTRS = 4;
const AMOUNT_FORMULA =
  'Σ PayPrice×Quantity + Σ PaymentInfo Value×Quantity − Σ PreferentialInfo Value×Quantity';

// ---------------------------------------------------------------------------------------------
// Small helpers

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** yup names the root `this`; our callers know it as the body. */
function where(p: Params): string {
  return p.originalPath ? p.path : 'body';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The path yup itself gives `key` under `parent` (see Schema.asNestedTest). */
function childPath(parent: string | undefined, key: string | number): string {
  if (typeof key === 'number') return `${parent ?? ''}[${key}]`;
  if (key.includes('.')) return `${parent ?? ''}["${key}"]`;
  return parent ? `${parent}.${key}` : key;
}

/** A test that reports each issue at its own path; yup flattens the nested errors. */
function reportAll(
  ctx: yup.TestContext,
  issues: { path: string; message: string }[],
): true | yup.ValidationError {
  if (issues.length === 0) return true;
  const errors = issues.map(({ path, message }) => ctx.createError({ path, message: () => message }));
  return new yup.ValidationError(errors);
}

/** Array.prototype.every skips holes; yup (and so this) sees them as undefined items. */
function everyItem<T>(list: readonly T[], ok: (item: T) => boolean): boolean {
  for (let i = 0; i < list.length; i++) if (!ok(list[i])) return false;
  return true;
}

function isInt(value: unknown): value is number {
  return Number.isInteger(value);
}

// ---------------------------------------------------------------------------------------------
// Leaves

const required = (p: Params) => `${where(p)} is required`;
const notNull = (what: string) => (p: Params) => `${where(p)} must be ${what}, got null`;

function text() {
  return yup
    .string()
    .strict()
    .typeError((p: Params) => `${where(p)} must be a string, got ${show(p.value)}`)
    .nonNullable(notNull('a string'))
    .defined(required);
}

/** ids, names, Title, BizAPPID, ResourceID: shown to the user or used as keys, so never "". */
function nonEmptyText() {
  return text().min(1, (p: Params) => `${where(p)} must not be empty`);
}

function int<T extends number = number>(what = 'an integer') {
  return yup
    .number<T>()
    .strict()
    .typeError((p: Params) => `${where(p)} must be ${what}, got ${show(p.value)}`)
    .nonNullable(notNull(what))
    .defined(required)
    .integer((p: Params) => `${where(p)} must be ${what}, got ${show(p.value)}`);
}

/** Money is an integer number of fen (100 = 1 yuan). */
function fen() {
  return int('an integer number of fen').min(
    0,
    (p: Params) => `${where(p)} must be >= 0 fen, got ${show(p.value)}`,
  );
}

function quantity() {
  return int().min(1, (p: Params) => `${where(p)} must be at least 1, got ${show(p.value)}`);
}

/** Ctime, Mtime, Time, CTime, MTime: Unix seconds. */
function unixSeconds() {
  return int('an integer (Unix seconds)').min(
    0,
    (p: Params) => `${where(p)} must be >= 0 (Unix seconds), got ${show(p.value)}`,
  );
}

/** Not yup's oneOf, which would report a second issue for a value that is not even an integer. */
function oneOfInts<T extends number>(values: readonly T[], what: string) {
  const allowed: ReadonlySet<number> = new Set(values);
  return int<T>().test({
    name: 'oneOf',
    skipAbsent: true,
    message: (p: Params) => `${where(p)} must be ${what}: one of ${values.join(', ')}, got ${show(p.value)}`,
    test: (value) => !isInt(value) || allowed.has(value),
  });
}

function bool() {
  return yup
    .boolean()
    .strict()
    .typeError((p: Params) => `${where(p)} must be true or false, got ${show(p.value)}`)
    .nonNullable(notNull('true or false'))
    .defined(required);
}

function list<T>(of: yup.ISchema<T>) {
  return yup
    .array(of)
    .typeError((p: Params) => `${where(p)} must be an array, got ${show(p.value)}`)
    .nonNullable(notNull('an array'))
    .defined(required);
}

function atLeastOne(what: string) {
  return (p: Params) => `${where(p)} must hold at least one ${what}, got none`;
}

// ---------------------------------------------------------------------------------------------
// Objects: every key must be a declared one

function unknownKeyMessage(path: string, key: string, known: ReadonlyMap<string, string>): string {
  const meant = known.get(key.toLowerCase());
  if (meant === 'EXT')
    return `${path}: the extension object must be sent as EXT, not ${key} (docs/contract.md section 8)`;
  if (meant) return `${path} is not a field here; did you mean ${meant}?`;
  return `${path} is not a field here (allowed: ${[...known.values()].join(', ')})`;
}

/** yup's noUnknown reports at the parent; this names each unknown key at its own path. */
function knownKeysOnly(keys: readonly string[]) {
  const known = new Set(keys);
  const byLowerCase: ReadonlyMap<string, string> = new Map(keys.map((k) => [k.toLowerCase(), k]));
  return function (this: yup.TestContext, value: unknown) {
    if (!isRecord(value)) return true;
    const issues: { path: string; message: string }[] = [];
    for (const key of Object.keys(value)) {
      if (known.has(key)) continue;
      const path = childPath(this.path, key);
      issues.push({ path, message: unknownKeyMessage(path, key, byLowerCase) });
    }
    return reportAll(this, issues);
  };
}

function record<S extends yup.ObjectShape>(shape: S) {
  return yup
    .object(shape)
    .typeError((p: Params) => `${where(p)} must be an object, got ${show(p.value)}`)
    .nonNullable(notNull('an object'))
    .test({ name: 'knownKeys', test: knownKeysOnly(Object.keys(shape)) });
}

// ---------------------------------------------------------------------------------------------
// Shared parts of the model

const detailPage = once(() =>
  record({
    Status: oneOfInts(DETAIL_PAGE_STATUSES, 'a DetailPage status (0 hidden, 1 shown, 2 linked)').optional(),
    Name: text().optional(),
    H5Schema: text().optional(),
    SwanSchema: text().optional(),
    IPhoneSchema: text().optional(),
    AndroidSchema: text().optional(),
  }),
);

const skuAttr = once(() => record({ Name: nonEmptyText(), Value: text() }).defined(required));

const product = once(() =>
  record({
    ID: nonEmptyText(),
    Name: nonEmptyText(),
    Desc: text().optional(),
    Quantity: quantity(),
    Price: fen(),
    PayPrice: fen(),
    ImgList: list(nonEmptyText())
      .max(
        MAX_IMAGES,
        (p: Params) => `${where(p)} holds ${show(p.value.length)} images; at most ${MAX_IMAGES} allowed`,
      )
      .optional(),
    DetailPage: detailPage().optional(),
    SkuAttr: list(skuAttr())
      .max(
        MAX_SKU_ATTRS,
        (p: Params) =>
          `${where(p)} holds ${show(p.value.length)} attributes; at most ${MAX_SKU_ATTRS} allowed`,
      )
      .optional(),
  }).defined(required),
);

const paymentSpecInfo = once(() =>
  record({ Name: nonEmptyText(), Value: fen(), Quantity: quantity() }).defined(required),
);

const payment = once(() =>
  record({
    Method: oneOfInts(PAYMENT_METHODS, 'a payment method (1 online, 2 cash on delivery)'),
    Amount: fen(),
    IsPayment: bool(),
    Time: unixSeconds().optional(),
    PreferentialInfo: list(paymentSpecInfo()).optional(),
    PaymentInfo: list(paymentSpecInfo()).optional(),
  }).defined(required),
);

interface MainAmountInputs {
  Products: Pick<Product, 'PayPrice' | 'Quantity'>[];
  Payment: Pick<Payment, 'PaymentInfo' | 'PreferentialInfo'>;
}

const specLines = (lines: PaymentSpecInfo[] | undefined) =>
  lines?.map((line) => ({ amount: line.Value, quantity: line.Quantity }));

/** Payment.Amount as the API page defines it: the merchant's one formula, read over Baidu's field names. */
function expectedPaymentAmount(main: MainAmountInputs): number {
  return computeOrderAmount({
    items: main.Products.map((p) => ({ payPrice: p.PayPrice, quantity: p.Quantity })),
    fees: specLines(main.Payment.PaymentInfo),
    discounts: specLines(main.Payment.PreferentialInfo),
  });
}

function isPricedLine(value: unknown, price: 'PayPrice' | 'Value'): boolean {
  return isRecord(value) && isInt(value[price]) && isInt(value.Quantity);
}

function isOptionalLines(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && everyItem(value, (l) => isPricedLine(l, 'Value')));
}

/** Only well-typed figures are summed: anything else already has its own issue. */
function hasAmountInputs(main: unknown): main is MainAmountInputs & { Payment: { Amount: number } } {
  if (!isRecord(main) || !isRecord(main.Payment) || !Array.isArray(main.Products)) return false;
  const { Payment: pay, Products: products } = main;
  return (
    isInt(pay.Amount) &&
    everyItem(products, (p) => isPricedLine(p, 'PayPrice')) &&
    isOptionalLines(pay.PaymentInfo) &&
    isOptionalLines(pay.PreferentialInfo)
  );
}

function paymentAmountMatches(this: yup.TestContext, main: unknown) {
  if (!hasAmountInputs(main)) return true;
  const expected = expectedPaymentAmount(main);
  const got = main.Payment.Amount;
  if (got === expected) return true;
  const path = childPath(childPath(this.path, 'Payment'), 'Amount');
  return reportAll(this, [{ path, message: `${path} must be ${expected} (${AMOUNT_FORMULA}), got ${got}` }]);
}

const mainOrder = once(() =>
  record({
    Products: list(product()).min(1, atLeastOne('product')),
    Payment: payment(),
    Appraise: detailPage().optional(),
    OrderDetail: detailPage().optional(),
  })
    .defined(required)
    .test({ name: 'paymentAmount', test: paymentAmountMatches }),
);

const subStatus = () => oneOfInts<SubStatus>(SUB_STATUSES, 'an after-sale status');

const refund = once(() =>
  record({
    Amount: fen(),
    Product: list(record({ ID: nonEmptyText(), Quantity: quantity(), Amount: fen() }).defined(required)),
  }),
);

const subOrderItem = once(() =>
  record({
    SubOrderID: nonEmptyText(),
    SubStatus: subStatus(),
    CTime: unixSeconds(),
    MTime: unixSeconds(),
    OrderType: oneOfInts(ORDER_TYPES, 'an after-sale type (1 refund only, 2 exchange, 3 return and refund)'),
    OrderDetail: detailPage().optional(),
    Refund: refund().optional(),
  }).defined(required),
);

const subStatusEntry = once(() =>
  record({ SubOrderID: nonEmptyText(), SubStatus: subStatus() }).defined(required),
);

/** Two after-sale items with one SubOrderID would overwrite each other on Baidu's side. */
function uniqueSubOrderIds(this: yup.TestContext, items: unknown) {
  if (!Array.isArray(items)) return true;
  const firstAt = new Map<string, number>();
  const issues: { path: string; message: string }[] = [];
  items.forEach((item: unknown, i) => {
    if (!isRecord(item) || typeof item.SubOrderID !== 'string' || item.SubOrderID === '') return;
    const first = firstAt.get(item.SubOrderID);
    if (first === undefined) {
      firstAt.set(item.SubOrderID, i);
      return;
    }
    const path = childPath(childPath(this.path, i), 'SubOrderID');
    issues.push({
      path,
      message: `${path} ${show(item.SubOrderID)} is already used by ${childPath(this.path, first)}; SubOrderIDs must be unique`,
    });
  });
  return reportAll(this, issues);
}

const subItems = once(() =>
  list(subOrderItem())
    .min(1, atLeastOne('after-sale item'))
    .test({ name: 'uniqueSubOrderIds', test: uniqueSubOrderIds }),
);

const subsOrder = once(() => record({ Status: subStatus(), Items: subItems() }));

const orderKey = once(() => ({
  CateID: oneOfInts(CATE_IDS, 'an order category (1 physical, 2 virtual)'),
  BizAPPID: nonEmptyText(),
  ResourceID: nonEmptyText(),
}));

function describeStatuses(cate: CateID): string {
  return `CateID ${cate} (${CATE_NAMES[cate]}), allowed: ${STATUSES_BY_CATE[cate].join(', ')}`;
}

/** Which main statuses exist depends on the item's CateID (API page, Data.Status tables). */
function statusAllowedForCate(this: yup.TestContext, item: unknown) {
  if (!isRecord(item) || !isInt(item.Status)) return true;
  const { CateID: cate, Status: status } = item;
  const path = childPath(this.path, 'Status');
  if (cate === CATE_PHYSICAL || cate === CATE_VIRTUAL) {
    if ((STATUSES_BY_CATE[cate] as readonly number[]).includes(status)) return true;
    return reportAll(this, [
      { path, message: `${path} ${status} is not a status of ${describeStatuses(cate)}` },
    ]);
  }
  if ((ALL_MAIN_STATUSES as readonly number[]).includes(status)) return true;
  const allowed = CATE_IDS.map(describeStatuses).join('; ');
  return reportAll(this, [
    { path, message: `${path} must be a main order status, got ${status} (${allowed})` },
  ]);
}

const mainStatus = () => int<MainStatus>();

function withStatusRule<S extends yup.AnyObjectSchema>(schema: S): S {
  return schema.test({ name: 'statusForCate', test: statusAllowedForCate });
}

// ---------------------------------------------------------------------------------------------
// Data items of the seven calls

const orderData = once(() =>
  withStatusRule(
    record({
      ...orderKey(),
      Title: nonEmptyText(),
      Ctime: unixSeconds(),
      Mtime: unixSeconds(),
      Status: mainStatus(),
      EXT: record({ MainOrder: mainOrder(), SubsOrder: subsOrder().optional() }).defined(required),
    }).defined(required),
  ),
);

/** No Title, Ctime or Mtime: the SDKs' update/main/info item has none (docs/contract.md section 8). */
const updateMainInfoItem = once(() =>
  withStatusRule(
    record({
      ...orderKey(),
      Status: mainStatus(),
      EXT: record({ MainOrder: mainOrder() }).defined(required),
    }).defined(required),
  ),
);

const updateMainStatusItem = once(() =>
  withStatusRule(record({ ...orderKey(), Status: mainStatus() }).defined(required)),
);

const subInfoItem = once(() =>
  record({
    ...orderKey(),
    EXT: record({ SubsOrder: subsOrder().defined(required) }).defined(required),
  }).defined(required),
);

/** add/main/logistics (Go SDK openapi/submitOrderLogistics.go): Status is always 0, Type 1 or 2. */
const express = once(() =>
  record({
    Code: nonEmptyText(),
    ID: nonEmptyText(),
    Name: nonEmptyText(),
    Status: oneOfInts([0] as const, 'an Express status (developers send 0)'),
    Type: oneOfInts(EXPRESS_TYPES, "an Express type (1 shipment to the buyer, 2 the buyer's return)"),
  }).defined(required),
);

/** Express is one object (types.ts LogisticsItem says why): an array here is refused like any other type. */
const logisticsItem = once(() =>
  record({
    ...orderKey(),
    EXT: record({ MainOrder: record({ Express: express() }).defined(required) }).defined(required),
  }).defined(required),
);

const subStatusItem = once(() =>
  record({
    ...orderKey(),
    EXT: record({
      SubsOrder: record({
        Status: subStatus(),
        Items: list(subStatusEntry()).min(1, atLeastOne('after-sale item')),
      }).defined(required),
    }).defined(required),
  }).defined(required),
);

// ---------------------------------------------------------------------------------------------
// Bodies

const notAnArray = (p: Params) =>
  `${where(p)} must be an array of items (every official SDK sends one), got ${isRecord(p.value) ? 'an object' : show(p.value)}`;

/** open_id is one query parameter, so one body can only speak for one user of one mini-program. */
function oneBizAppId(this: yup.TestContext, items: unknown) {
  if (!Array.isArray(items)) return true;
  const first: unknown = isRecord(items[0]) ? items[0].BizAPPID : undefined;
  if (typeof first !== 'string' || first === '') return true;
  const issues: { path: string; message: string }[] = [];
  items.forEach((item: unknown, i) => {
    if (
      !isRecord(item) ||
      typeof item.BizAPPID !== 'string' ||
      item.BizAPPID === '' ||
      item.BizAPPID === first
    )
      return;
    const path = childPath(childPath(this.path, i), 'BizAPPID');
    issues.push({
      path,
      message: `${path} must equal ${childPath(childPath(this.path, 0), 'BizAPPID')} ${show(first)}: all items of one update/main/status body belong to one mini-program and one user`,
    });
  });
  return reportAll(this, issues);
}

function body<S extends yup.ISchema<unknown>>(data: S) {
  return record({ Data: data }).defined(required);
}

/** add/main/info imports one order per call (no batch import, per the API page). */
const addMainInfoData = once(() =>
  yup
    .tuple([orderData()] as [ReturnType<typeof orderData>])
    .typeError((p: Params) =>
      Array.isArray(p.value)
        ? `${where(p)} must hold exactly one item: add/main/info takes no batch, got ${p.value.length}`
        : `${where(p)} must be an array holding exactly one item, got ${isRecord(p.value) ? 'an object' : show(p.value)}`,
    )
    .defined(required),
);

/** The three sub-order calls and add/main/logistics: Data is an array (every SDK; the page's object is wrong) of exactly one item. */
function oneSubItem<T>(item: yup.ISchema<T>, call: OrderCenterCall) {
  return list(item)
    .typeError(notAnArray)
    .length(1, (p: Params) => `${where(p)} must hold exactly one item for ${call}, got ${p.value.length}`);
}

const updateMainInfoBody = once((): yup.Schema<{ Data: UpdateMainInfoItem[] }> =>
  body(list(updateMainInfoItem()).typeError(notAnArray).min(1, atLeastOne('item'))),
);

const addMainInfoBody = once((): yup.Schema<{ Data: [OrderData] }> => body(addMainInfoData()));

const updateMainStatusBody = once(() =>
  body(
    list(updateMainStatusItem())
      .typeError(notAnArray)
      .min(1, atLeastOne('item'))
      .test({ name: 'oneBizAppId', test: oneBizAppId }),
  ),
);
const appendSubInfoBody = once(() => body(oneSubItem(subInfoItem(), 'append/sub/info')));
const updateSubInfoBody = once(() => body(oneSubItem(subInfoItem(), 'update/sub/info')));
const updateSubStatusBody = once(() => body(oneSubItem(subStatusItem(), 'update/sub/status')));
/** One parcel per call: the plan sends each Express.Type that changed on its own, so one refusal fails only it. */
const addMainLogisticsBody = once(() => body(oneSubItem(logisticsItem(), 'add/main/logistics')));

/** Each call's schema, built the first time it is read (and then always the same instance). */
export const callBodySchemas: { readonly [C in OrderCenterCall]: yup.Schema<CallBodies[C]> } = {
  get 'add/main/info'() {
    return addMainInfoBody();
  },
  get 'update/main/info'() {
    return updateMainInfoBody();
  },
  get 'update/main/status'() {
    return updateMainStatusBody();
  },
  get 'append/sub/info'() {
    return appendSubInfoBody();
  },
  get 'update/sub/info'() {
    return updateSubInfoBody();
  },
  get 'update/sub/status'() {
    return updateSubStatusBody();
  },
  get 'add/main/logistics'() {
    return addMainLogisticsBody();
  },
};

// ---------------------------------------------------------------------------------------------
// Fast path

/**
 * yup spends most of its time on per-node bookkeeping (option objects, callbacks, paths): about 14,000
 * orders/s on one core, too close to the projection's budget of 10,000 with the projection's own work
 * on top. A valid body, the usual case, is settled by replaying the very same type checks and test
 * functions synchronously, without that bookkeeping (over 150,000 orders/s); only a body that fails
 * goes through yup proper, for its issues. It refuses to compile what it could not replay faithfully
 * (oneOf/notOneOf, references, lazy schemas), so a schema edit cannot make it laxer than yup.
 */
type Check = (value: unknown) => boolean;

function isRef<T>(value: T | yup.Reference<T>): value is yup.Reference<T> {
  return typeof value === 'object' && value !== null && '__isYupRef' in value;
}

/** The context a test sees; it only matters once a test fails, and then yup proper takes over. */
function probe(schema: yup.Schema): yup.TestContext {
  return {
    path: '',
    options: {},
    originalValue: undefined,
    parent: undefined,
    schema,
    resolve<T>(v: T | yup.Reference<T>): T {
      if (isRef(v)) throw new TypeError('the fast path cannot resolve yup references');
      return v;
    },
    createError: () => new yup.ValidationError('invalid', undefined, '', 'fastPath', true),
  };
}

function compileTest(config: yup.TestConfig, ctx: yup.TestContext): Check {
  return (value) => {
    if (config.skipAbsent && value == null) return true;
    const result = config.test.call(ctx, value, ctx);
    // An error or a promise (none is used here) fails: yup proper then has the last word.
    return typeof result !== 'object' && Boolean(result);
  };
}

/** `described`: what the root's describe() says of this node, walked alongside the schema. */
function compileCheck(
  node: yup.ISchema<unknown> | yup.Reference,
  described: yup.SchemaFieldDescription,
): Check {
  if (!(node instanceof yup.Schema)) throw new TypeError('the fast path supports plain schemas only');
  const schema: yup.Schema = node;
  if (!('oneOf' in described) || !('notOneOf' in described))
    throw new TypeError('the fast path supports plain schemas only');
  if (described.oneOf.length > 0 || described.notOneOf.length > 0)
    throw new TypeError('the fast path cannot replay oneOf/notOneOf');
  const ctx = probe(schema);
  const tests = schema.tests.map((t) => {
    if (!t.OPTIONS) throw new TypeError('the fast path needs every test to carry its OPTIONS');
    return compileTest(t.OPTIONS, ctx);
  });
  const children = compileChildren(schema, described);
  return (value) =>
    schema.isType(value) && everyItem(tests, (test) => test(value)) && (value == null || children(value));
}

function compileChildren(schema: yup.Schema, described: yup.SchemaFieldDescription): Check {
  if (schema instanceof yup.ObjectSchema) {
    const fieldsDescribed = 'fields' in described ? described.fields : {};
    const fields = Object.entries(schema.fields).map(
      ([key, field]) => [key, compileCheck(field, describedChild(fieldsDescribed[key]))] as const,
    );
    return (value) => isRecord(value) && fields.every(([key, check]) => check(value[key]));
  }
  const inner = 'innerType' in described ? described.innerType : undefined;
  if (schema instanceof yup.TupleSchema) {
    const items = Array.isArray(inner) ? inner : [];
    const types = Object.values(schema.spec.types).map((type, i) =>
      compileCheck(type, describedChild(items[i])),
    );
    return (value) => Array.isArray(value) && types.every((check, i) => check(value[i]));
  }
  if (schema instanceof yup.ArraySchema) {
    if (!schema.innerType || !inner || Array.isArray(inner))
      throw new TypeError('the fast path needs arrays to declare their items');
    const check = compileCheck(schema.innerType, inner);
    return (value) => Array.isArray(value) && everyItem(value, check);
  }
  return () => true;
}

function describedChild(described: yup.SchemaFieldDescription | undefined): yup.SchemaFieldDescription {
  if (!described) throw new TypeError('the fast path found a schema node that describe() does not show');
  return described;
}

/**
 * Compiled on first use, one call at a time: describing and compiling every schema at module load cost
 * a cold start ~17 ms, and most functions send two or three of the seven calls. One describe() per call
 * schema, walked alongside it, keeps the compile linear in the schema's size.
 */
const fastChecks = new Map<OrderCenterCall, Check>();

function fastCheck(call: OrderCenterCall): Check {
  let check = fastChecks.get(call);
  if (!check) {
    const schema: yup.Schema = callBodySchemas[call];
    check = compileCheck(schema, schema.describe());
    fastChecks.set(call, check);
  }
  return check;
}

// ---------------------------------------------------------------------------------------------
// Public functions

const VALIDATE_OPTIONS: yup.ValidateOptions = { abortEarly: false, strict: true, disableStackTrace: true };

/** Every issue of `body` as the body of `call`; [] when it is valid. */
export function validateCallBody(call: OrderCenterCall, body: unknown): FieldIssue[] {
  if (!Object.hasOwn(callBodySchemas, call)) {
    return [{ path: '', message: `unknown Order Center call ${show(call)}` }];
  }
  if (fastCheck(call)(body)) return [];
  try {
    callBodySchemas[call].validateSync(body, VALIDATE_OPTIONS);
    return [];
  } catch (err) {
    if (err instanceof yup.ValidationError) return issuesFromYup(err);
    throw err;
  }
}

/** Throws InvalidInputError with every issue unless `body` is a valid body of `call`. */
export function assertCallBody<C extends OrderCenterCall>(
  call: C,
  body: unknown,
): asserts body is CallBodies[C] {
  const issues = validateCallBody(call, body);
  if (issues.length > 0) throw new InvalidInputError(issues, `invalid ${call} body`);
}
