import { array, mixed, number, object, string, type ObjectSchema, type Schema } from 'yup';
import type {
  AmountLine,
  DetailPageInput,
  DetailPageStatusName,
  MerchantEventType,
  OrderCategory,
  OrderItemInput,
  OrderSnapshot,
  PaymentInput,
  PaymentMethodName,
  RefundInput,
  RefundItemInput,
  RefundStatus,
  RefundType,
  ReturnShipmentInput,
  ShipmentInput,
  SkuInput,
} from './types';
import { once } from '../once';

/** Limits of docs/contract.md section 3 and of the Order Center (ImgList, SkuAttr). */
export const LIMITS = {
  /** every id: eventId, item, refund and cashier ids, openId, tracking numbers */
  idLength: 128,
  eventIdLength: 128,
  orderIdLength: 64,
  /** titles, names, sku attributes, carriers */
  nameLength: 200,
  /** descriptions, links of detail pages, image URLs */
  textLength: 1_000,
  reasonLength: 256,
  /** every amount and every computed total, in fen: sums of them stay exact integers */
  maxFen: 10_000_000_000,
  images: 5,
  sku: 4,
} as const;

/**
 * eventId prefixes that Baidu's callbacks use for the facts they record (`cashier:<orderId>:<status>`
 * from the first release, `baidu:` for every callback since): a merchant eventId may not take one, so no
 * merchant event can make a callback look like a duplicate of itself (CONTRACT section 3).
 */
export const RESERVED_EVENT_ID_PREFIXES: readonly string[] = ['baidu:', 'cashier:'];

export const ORDER_CATEGORIES: readonly OrderCategory[] = ['physical', 'virtual'];
export const PAYMENT_METHODS: readonly PaymentMethodName[] = ['online', 'cash-on-delivery'];
export const DETAIL_PAGE_STATUSES: readonly DetailPageStatusName[] = ['hidden', 'shown', 'linked'];
export const REFUND_TYPES: readonly RefundType[] = ['refund-only', 'exchange', 'return-and-refund'];
export const REFUND_STATUSES: readonly RefundStatus[] = [
  'requested',
  'processing',
  'refunded',
  'exchanged',
  'closed',
  'rejected',
];

/** Issue messages. They never repeat the path: an issue carries it beside the message. */
export const MESSAGES = {
  required: 'is required',
  notNull: 'must not be null',
  string: 'must be a string',
  object: 'must be an object',
  array: 'must be an array',
  blank: 'must not be blank',
  nonEmptyString: 'must be a non-empty string',
  maxLength: (max: number) => `must be at most ${max} characters`,
  noWhitespace: 'must not contain whitespace',
  noControl: 'must not contain control characters',
  reservedPrefix: `must not start with ${RESERVED_EVENT_ID_PREFIXES.join(' or ')} (reserved for Baidu's callbacks)`,
  maxFen: `must be an integer amount in fen (>= 0, at most ${LIMITS.maxFen})`,
  wellFormed: 'must be well-formed Unicode (no unpaired surrogate)',
  fen: 'must be an integer amount in fen (>= 0)',
  quantity: 'must be an integer >= 1',
  time: 'must be a Unix time in whole seconds (integer > 0)',
  oneOf: (values: readonly string[]) => `must be one of: ${values.join(', ')}`,
  minItems: 'must list at least one item',
  maxImages: `must list at most ${LIMITS.images} images`,
  maxSku: `must list at most ${LIMITS.sku} sku attributes`,
} as const;

// Schemas validate in strict mode: nothing is coerced ("2390" is not an amount, 2221554346520 is not an
// order id: a numeric id may already have lost digits in the sender's JSON encoder).

const requiredText = (max: number, message: string = MESSAGES.required) =>
  string()
    .typeError(MESSAGES.string)
    .required(message)
    .matches(/\S/, { message: MESSAGES.blank, excludeEmptyString: true })
    .max(max, MESSAGES.maxLength(max));

const optionalText = (max: number) =>
  string()
    .typeError(MESSAGES.string)
    .optional()
    .nonNullable(MESSAGES.notNull)
    .max(max, MESSAGES.maxLength(max));

/** C0 and C1 controls (ESC, BEL, CR, LF...): an id carrying one reaches Baidu as ResourceID and log lines. */
const CONTROL = /\p{Cc}/u;
const noControl = {
  name: 'noControl',
  message: MESSAGES.noControl,
  test: (id?: string) => !id || !CONTROL.test(id),
};

const boundedInteger = (message: string, min: number) =>
  number().typeError(message).integer(message).min(min, message).max(Number.MAX_SAFE_INTEGER, message);

const fen = () =>
  number()
    .typeError(MESSAGES.maxFen)
    .integer(MESSAGES.maxFen)
    .min(0, MESSAGES.maxFen)
    .max(LIMITS.maxFen, MESSAGES.maxFen);
const requiredFen = () => fen().required(MESSAGES.required);
const optionalFen = () => fen().optional().nonNullable(MESSAGES.notNull);
const requiredQuantity = () => boundedInteger(MESSAGES.quantity, 1).required(MESSAGES.required);
const requiredTime = () => boundedInteger(MESSAGES.time, 1).required(MESSAGES.required);
const optionalTime = () => boundedInteger(MESSAGES.time, 1).optional().nonNullable(MESSAGES.notNull);

// mixed, not string: a string schema would report a number twice (wrong type, and not one of the values).
const oneOf = <T extends string>(values: readonly T[]) =>
  mixed<T>().oneOf(values, MESSAGES.oneOf(values)).optional().nonNullable(MESSAGES.notNull);

/**
 * An unpaired surrogate is re-encoded as U+FFFD on its way to DynamoDB, so two such ids would name one
 * ledger item (an order id) or one fact (an event id): ids that key the ledger must be well-formed.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;
const wellFormed = {
  name: 'wellFormed',
  message: MESSAGES.wellFormed,
  test: (id?: string) => !id || !LONE_SURROGATE.test(id),
};

/** An id: bounded, no control character, well-formed (it keys the ledger or reaches Baidu). */
const requiredId = (message: string = MESSAGES.required) =>
  requiredText(LIMITS.idLength, message).test(noControl).test(wellFormed);
const optionalId = () => optionalText(LIMITS.idLength).test(noControl).test(wellFormed);

export const orderIdSchema = () =>
  string()
    .typeError(MESSAGES.string)
    .required(MESSAGES.required)
    .max(LIMITS.orderIdLength, MESSAGES.maxLength(LIMITS.orderIdLength))
    .matches(/^\S*$/, MESSAGES.noWhitespace)
    .test(noControl)
    .test(wellFormed);

const detailPageSchema = once((): ObjectSchema<DetailPageInput> =>
  object({
    status: oneOf(DETAIL_PAGE_STATUSES),
    name: optionalText(LIMITS.nameLength),
    h5: optionalText(LIMITS.textLength),
    swan: optionalText(LIMITS.textLength),
    iphone: optionalText(LIMITS.textLength),
    android: optionalText(LIMITS.textLength),
  }).typeError(MESSAGES.object),
);

const optionalDetailPage = () =>
  detailPageSchema().optional().nonNullable(MESSAGES.notNull).default(undefined);

const skuSchema = once((): ObjectSchema<SkuInput> =>
  object({
    name: requiredText(LIMITS.nameLength),
    value: requiredText(LIMITS.nameLength),
  }).typeError(MESSAGES.object),
);

const orderItemSchema = once((): ObjectSchema<OrderItemInput> =>
  object({
    id: requiredId(),
    name: requiredText(LIMITS.nameLength),
    description: optionalText(LIMITS.textLength),
    quantity: requiredQuantity(),
    price: requiredFen(),
    payPrice: requiredFen(),
    images: array()
      .typeError(MESSAGES.array)
      .of(requiredText(LIMITS.textLength, MESSAGES.nonEmptyString))
      .max(LIMITS.images, MESSAGES.maxImages)
      .optional()
      .nonNullable(MESSAGES.notNull),
    sku: array()
      .typeError(MESSAGES.array)
      .of(skuSchema())
      .max(LIMITS.sku, MESSAGES.maxSku)
      .optional()
      .nonNullable(MESSAGES.notNull),
    detail: optionalDetailPage(),
  }).typeError(MESSAGES.object),
);

const amountLineSchema = once((): ObjectSchema<AmountLine> =>
  object({
    name: requiredText(LIMITS.nameLength),
    amount: requiredFen(),
    quantity: requiredQuantity(),
  }).typeError(MESSAGES.object),
);

const amountLines = () =>
  array().typeError(MESSAGES.array).of(amountLineSchema()).optional().nonNullable(MESSAGES.notNull);

const orderSnapshotSchema = once((): ObjectSchema<OrderSnapshot> =>
  object({
    openId: requiredId(),
    category: oneOf(ORDER_CATEGORIES).required(MESSAGES.required),
    title: requiredText(LIMITS.nameLength),
    createdAt: requiredTime(),
    items: array()
      .typeError(MESSAGES.array)
      .of(orderItemSchema())
      .required(MESSAGES.required)
      .min(1, MESSAGES.minItems),
    fees: amountLines(),
    discounts: amountLines(),
    paymentMethod: oneOf(PAYMENT_METHODS),
    detail: optionalDetailPage(),
    appraise: optionalDetailPage(),
  }).typeError(MESSAGES.object),
);

const paymentSchema = once((): ObjectSchema<PaymentInput> =>
  object({
    paidAt: requiredTime(),
    amount: optionalFen(),
    cashierOrderId: requiredId(MESSAGES.nonEmptyString).optional(),
  }).typeError(MESSAGES.object),
);

const shipmentSchema = once((): ObjectSchema<ShipmentInput> =>
  object({
    shippedAt: optionalTime(),
    carrier: optionalId().matches(/\S/, { message: MESSAGES.blank }),
    carrierName: optionalText(LIMITS.nameLength),
    trackingNo: optionalId(),
  }).typeError(MESSAGES.object),
);

const returnShipmentSchema = once((): ObjectSchema<ReturnShipmentInput> =>
  object({
    carrier: requiredId(),
    carrierName: optionalText(LIMITS.nameLength),
    trackingNo: requiredId(),
  }).typeError(MESSAGES.object),
);

const refundItemSchema = once((): ObjectSchema<RefundItemInput> =>
  object({
    id: requiredId(),
    quantity: requiredQuantity(),
    amount: requiredFen(),
  }).typeError(MESSAGES.object),
);

const refundFields = () => ({
  id: requiredId(),
  type: oneOf(REFUND_TYPES),
  status: oneOf(REFUND_STATUSES),
  amount: optionalFen(),
  items: array()
    .typeError(MESSAGES.array)
    .of(refundItemSchema())
    .min(1, MESSAGES.minItems)
    .optional()
    .nonNullable(MESSAGES.notNull),
  createdAt: optionalTime(),
  detail: optionalDetailPage(),
  // Baidu's refund batch id, as the cashier's refund callbacks carry it (docs/contract.md section 5b).
  baiduRefundBatchId: orderIdSchema().optional().nonNullable(MESSAGES.notNull).default(undefined),
  returnShipment: returnShipmentSchema().optional().nonNullable(MESSAGES.notNull).default(undefined),
});

/** refund-requested opens an after-sale order: it must say what, for how much, and which items. */
const newRefundSchema = once((): ObjectSchema<RefundInput> => {
  const fields = refundFields();
  return object({
    ...fields,
    type: fields.type.required(MESSAGES.required),
    amount: fields.amount.required(MESSAGES.required),
    items: fields.items.required(MESSAGES.required),
  }).typeError(MESSAGES.object);
});

/** refund-updated moves an existing after-sale order: its id and new status are enough. */
const refundChangeSchema = once((): ObjectSchema<RefundInput> => {
  const fields = refundFields();
  return object({ ...fields, status: fields.status.required(MESSAGES.required) }).typeError(MESSAGES.object);
});

const envelope = () => ({
  // checked against the route by parseMerchantEvent, which names the one type it must be
  type: mixed<MerchantEventType>().optional(),
  eventId: requiredId().test({
    name: 'reservedPrefix',
    message: MESSAGES.reservedPrefix,
    test: (id?: string) => !id || !RESERVED_EVENT_ID_PREFIXES.some((p) => id.toLowerCase().startsWith(p)),
  }),
  occurredAt: requiredTime(),
  orderId: orderIdSchema(),
  order: orderSnapshotSchema().optional().nonNullable(MESSAGES.notNull).default(undefined),
});

const required = <T extends object>(schema: ObjectSchema<T>) =>
  schema.required(MESSAGES.required).nonNullable(MESSAGES.required);
const optional = <T extends object>(schema: ObjectSchema<T>) =>
  schema.optional().nonNullable(MESSAGES.notNull).default(undefined);

/** A merchant event of any type once its schema passed: the union of what the types may carry. */
export interface MerchantEventInput {
  /** the event's type: required over HTTP (it is signed with the body), equal to the route's */
  type?: MerchantEventType;
  eventId: string;
  occurredAt: number;
  orderId: string;
  order?: OrderSnapshot;
  payment?: PaymentInput;
  shipment?: ShipmentInput;
  refund?: RefundInput;
  reason?: string;
}

/** An event type's schema; its `fields` are also the only keys that event type may carry. */
export type MerchantEventSchema = Schema<MerchantEventInput> & { readonly fields: object };

/** How each event type's schema is built: on its first event, so a function builds only its own. */
const BUILDERS: Record<MerchantEventType, () => MerchantEventSchema> = {
  'order-placed': () => object({ ...envelope(), order: required(orderSnapshotSchema()) }),
  'payment-succeeded': () => object({ ...envelope(), payment: required(paymentSchema()) }),
  shipped: () => object({ ...envelope(), shipment: optional(shipmentSchema()) }),
  'order-completed': () => object(envelope()),
  'order-closed': () => object({ ...envelope(), reason: optionalText(LIMITS.reasonLength) }),
  'refund-requested': () => object({ ...envelope(), refund: required(newRefundSchema()) }),
  'refund-updated': () => object({ ...envelope(), refund: required(refundChangeSchema()) }),
};

const built = new Map<MerchantEventType, MerchantEventSchema>();

/** The schema of one merchant event type, built on first use; a RangeError for a type that is none. */
export function merchantEventSchema(type: MerchantEventType): MerchantEventSchema {
  let schema = built.get(type);
  if (!schema) {
    if (!Object.hasOwn(BUILDERS, type)) throw new RangeError(`not a merchant event type: ${String(type)}`);
    schema = BUILDERS[type]();
    built.set(type, schema);
  }
  return schema;
}
