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
  ShipmentInput,
  SkuInput,
} from './types';

/** Limits of CONTRACT.md section 3 and of the Order Center (ImgList, SkuAttr). */
export const LIMITS = {
  eventIdLength: 128,
  orderIdLength: 64,
  reasonLength: 256,
  images: 5,
  sku: 4,
} as const;

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

const requiredText = (message: string = MESSAGES.required) =>
  string()
    .typeError(MESSAGES.string)
    .required(message)
    .matches(/\S/, { message: MESSAGES.blank, excludeEmptyString: true });

const optionalText = () => string().typeError(MESSAGES.string).optional().nonNullable(MESSAGES.notNull);

const boundedInteger = (message: string, min: number) =>
  number().typeError(message).integer(message).min(min, message).max(Number.MAX_SAFE_INTEGER, message);

const requiredFen = () => boundedInteger(MESSAGES.fen, 0).required(MESSAGES.required);
const optionalFen = () => boundedInteger(MESSAGES.fen, 0).optional().nonNullable(MESSAGES.notNull);
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

export const orderIdSchema = () =>
  string()
    .typeError(MESSAGES.string)
    .required(MESSAGES.required)
    .max(LIMITS.orderIdLength, MESSAGES.maxLength(LIMITS.orderIdLength))
    .matches(/^\S*$/, MESSAGES.noWhitespace)
    .test(wellFormed);

const detailPageSchema: ObjectSchema<DetailPageInput> = object({
  status: oneOf(DETAIL_PAGE_STATUSES),
  name: optionalText(),
  h5: optionalText(),
  swan: optionalText(),
  iphone: optionalText(),
  android: optionalText(),
}).typeError(MESSAGES.object);

const optionalDetailPage = () => detailPageSchema.optional().nonNullable(MESSAGES.notNull).default(undefined);

const skuSchema: ObjectSchema<SkuInput> = object({
  name: requiredText(),
  value: requiredText(),
}).typeError(MESSAGES.object);

const orderItemSchema: ObjectSchema<OrderItemInput> = object({
  id: requiredText(),
  name: requiredText(),
  description: optionalText(),
  quantity: requiredQuantity(),
  price: requiredFen(),
  payPrice: requiredFen(),
  images: array()
    .typeError(MESSAGES.array)
    .of(requiredText(MESSAGES.nonEmptyString))
    .max(LIMITS.images, MESSAGES.maxImages)
    .optional()
    .nonNullable(MESSAGES.notNull),
  sku: array()
    .typeError(MESSAGES.array)
    .of(skuSchema)
    .max(LIMITS.sku, MESSAGES.maxSku)
    .optional()
    .nonNullable(MESSAGES.notNull),
  detail: optionalDetailPage(),
}).typeError(MESSAGES.object);

const amountLineSchema: ObjectSchema<AmountLine> = object({
  name: requiredText(),
  amount: requiredFen(),
  quantity: requiredQuantity(),
}).typeError(MESSAGES.object);

const amountLines = () =>
  array().typeError(MESSAGES.array).of(amountLineSchema).optional().nonNullable(MESSAGES.notNull);

export const orderSnapshotSchema: ObjectSchema<OrderSnapshot> = object({
  openId: requiredText(),
  category: oneOf(ORDER_CATEGORIES).required(MESSAGES.required),
  title: requiredText(),
  createdAt: requiredTime(),
  items: array()
    .typeError(MESSAGES.array)
    .of(orderItemSchema)
    .required(MESSAGES.required)
    .min(1, MESSAGES.minItems),
  fees: amountLines(),
  discounts: amountLines(),
  paymentMethod: oneOf(PAYMENT_METHODS),
  detail: optionalDetailPage(),
  appraise: optionalDetailPage(),
}).typeError(MESSAGES.object);

const paymentSchema: ObjectSchema<PaymentInput> = object({
  paidAt: requiredTime(),
  amount: optionalFen(),
  cashierOrderId: requiredText(MESSAGES.nonEmptyString).optional(),
}).typeError(MESSAGES.object);

const shipmentSchema: ObjectSchema<ShipmentInput> = object({
  shippedAt: optionalTime(),
  carrier: optionalText(),
  trackingNo: optionalText(),
}).typeError(MESSAGES.object);

const refundItemSchema: ObjectSchema<RefundItemInput> = object({
  id: requiredText(),
  quantity: requiredQuantity(),
  amount: requiredFen(),
}).typeError(MESSAGES.object);

const refundFields = {
  id: requiredText(),
  type: oneOf(REFUND_TYPES),
  status: oneOf(REFUND_STATUSES),
  amount: optionalFen(),
  items: array()
    .typeError(MESSAGES.array)
    .of(refundItemSchema)
    .min(1, MESSAGES.minItems)
    .optional()
    .nonNullable(MESSAGES.notNull),
  createdAt: optionalTime(),
  detail: optionalDetailPage(),
  // Baidu's refund batch id, as the cashier's refund callbacks carry it (CONTRACT section 5b).
  baiduRefundBatchId: orderIdSchema().optional().nonNullable(MESSAGES.notNull).default(undefined),
};

/** refund-requested opens an after-sale order: it must say what, for how much, and which items. */
const newRefundSchema: ObjectSchema<RefundInput> = object({
  ...refundFields,
  type: refundFields.type.required(MESSAGES.required),
  amount: refundFields.amount.required(MESSAGES.required),
  items: refundFields.items.required(MESSAGES.required),
}).typeError(MESSAGES.object);

/** refund-updated moves an existing after-sale order: its id and new status are enough. */
const refundChangeSchema: ObjectSchema<RefundInput> = object({
  ...refundFields,
  status: refundFields.status.required(MESSAGES.required),
}).typeError(MESSAGES.object);

const envelope = {
  eventId: requiredText()
    .max(LIMITS.eventIdLength, MESSAGES.maxLength(LIMITS.eventIdLength))
    .test(wellFormed),
  occurredAt: requiredTime(),
  orderId: orderIdSchema(),
  order: orderSnapshotSchema.optional().nonNullable(MESSAGES.notNull).default(undefined),
};

const required = <T extends object>(schema: ObjectSchema<T>) =>
  schema.required(MESSAGES.required).nonNullable(MESSAGES.required);
const optional = <T extends object>(schema: ObjectSchema<T>) =>
  schema.optional().nonNullable(MESSAGES.notNull).default(undefined);

/** A merchant event of any type once its schema passed: the union of what the types may carry. */
export interface MerchantEventInput {
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

export const MERCHANT_EVENT_SCHEMAS: Record<MerchantEventType, MerchantEventSchema> = {
  'order-placed': object({ ...envelope, order: required(orderSnapshotSchema) }),
  'payment-succeeded': object({ ...envelope, payment: required(paymentSchema) }),
  shipped: object({ ...envelope, shipment: optional(shipmentSchema) }),
  'order-completed': object(envelope),
  'order-closed': object({
    ...envelope,
    reason: optionalText().max(LIMITS.reasonLength, MESSAGES.maxLength(LIMITS.reasonLength)),
  }),
  'refund-requested': object({ ...envelope, refund: required(newRefundSchema) }),
  'refund-updated': object({ ...envelope, refund: required(refundChangeSchema) }),
};
