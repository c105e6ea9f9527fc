import { ValidationError } from 'yup';
import { InvalidInputError, issuesFromYup, type FieldIssue } from '../validation';
import { computeOrderAmount } from './amount';
import { unixNow, type UnixClock } from './clock';
import { MERCHANT_EVENT_SCHEMAS, type MerchantEventInput, type MerchantEventSchema } from './merchant-schema';
import type {
  AmountLine,
  DetailPageInput,
  Fact,
  FactKind,
  MerchantEventType,
  OrderItemInput,
  OrderSnapshot,
  PaymentInput,
  RefundInput,
  ShipmentInput,
} from './types';

export interface ParseMerchantEventOptions {
  /** The current time in Unix seconds; bounds how far ahead occurredAt may be. */
  now?: UnixClock;
}

/** How far ahead of our clock an event may claim to have happened: beyond it the clock is not the cause. */
export const MAX_FUTURE_SECONDS = 86_400;

/** Milliseconds since 1970 pass 1e12 in 2001; seconds reach it only in the year 33658. */
const MILLISECONDS_FROM = 1e12;

/** A time far ahead is most often JavaScript's Date.now(): say so, and what it is in seconds. */
function futureTimeMessage(time: number, now: number): string {
  return time >= MILLISECONDS_FROM
    ? `Unix seconds expected; this looks like milliseconds (${Math.floor(time / 1000)} in seconds)`
    : `must not be more than a day ahead of now (${now})`;
}

const KINDS: Record<MerchantEventType, FactKind> = {
  'order-placed': 'placed',
  'payment-succeeded': 'paid',
  shipped: 'shipped',
  'order-completed': 'completed',
  'order-closed': 'closed',
  'refund-requested': 'refund-requested',
  'refund-updated': 'refund-updated',
};

/**
 * Validates a merchant event (CONTRACT.md section 3) and turns it into the fact it records.
 * Throws InvalidInputError naming every offending path.
 */
export function parseMerchantEvent(
  type: MerchantEventType,
  input: unknown,
  opts: ParseMerchantEventOptions = {},
): Fact {
  if (!Object.hasOwn(MERCHANT_EVENT_SCHEMAS, type)) {
    throw new RangeError(`not a merchant event type: ${String(type)}`);
  }
  const schema = MERCHANT_EVENT_SCHEMAS[type];
  const context = `invalid ${type} event`;
  if (!isRecord(input))
    throw new InvalidInputError([{ path: '', message: 'must be a JSON object' }], context);

  const issues = [...unknownKeyIssues(type, schema, input), ...shapeIssues(schema, input)];
  // Paths without a shape issue hold well-typed values, so the cross-field rules may read them as such.
  issues.push(...crossFieldIssues(input as unknown as MerchantEventInput, issues, (opts.now ?? unixNow)()));
  if (issues.length > 0) throw new InvalidInputError(issues, context);
  return toFact(type, input as unknown as MerchantEventInput);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function unknownKeyIssues(
  type: MerchantEventType,
  schema: MerchantEventSchema,
  input: Record<string, unknown>,
): FieldIssue[] {
  const known = new Set(Object.keys(schema.fields));
  return Object.keys(input)
    .filter((key) => !known.has(key))
    .map((key) => ({ path: key, message: `is not a field of ${type} events` }));
}

function shapeIssues(schema: MerchantEventSchema, input: Record<string, unknown>): FieldIssue[] {
  try {
    schema.validateSync(input, { strict: true, abortEarly: false });
    return [];
  } catch (err) {
    if (err instanceof ValidationError) return issuesFromYup(err);
    throw err;
  }
}

interface CrossFieldRule {
  /** Paths the rule reads; it is skipped while any of them has a shape issue of its own. */
  reads: readonly string[];
  check(event: MerchantEventInput, now: number): FieldIssue[];
}

const ORDER_AMOUNT_INPUTS = ['order.items', 'order.fees', 'order.discounts'];

const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  {
    reads: ['occurredAt'],
    check: (event, now) =>
      event.occurredAt > now + MAX_FUTURE_SECONDS
        ? [{ path: 'occurredAt', message: futureTimeMessage(event.occurredAt, now) }]
        : [],
  },
  {
    reads: ORDER_AMOUNT_INPUTS,
    check: ({ order }) => {
      if (!order) return [];
      const amount = computeOrderAmount(order);
      return amount < 0
        ? [
            {
              path: 'order.discounts',
              message: `must not exceed the items and fees (amount would be ${amount})`,
            },
          ]
        : [];
    },
  },
  {
    reads: ['payment.amount', ...ORDER_AMOUNT_INPUTS],
    check: ({ payment, order }) => {
      if (payment?.amount === undefined || !order) return [];
      const computed = computeOrderAmount(order);
      return payment.amount === computed
        ? []
        : [
            {
              path: 'payment.amount',
              message: `must equal the order's computed amount ${computed} (Σ payPrice×quantity + fees − discounts)`,
            },
          ];
    },
  },
  {
    reads: ['refund.amount', 'refund.items'],
    check: ({ refund }) => {
      if (refund?.amount === undefined || !refund.items) return [];
      const sum = refund.items.reduce((total, item) => total + item.amount, 0);
      return refund.amount === sum
        ? []
        : [{ path: 'refund.amount', message: `must equal the sum of refund.items[].amount (${sum})` }];
    },
  },
  {
    reads: ['refund.items', 'order.items'],
    check: ({ refund, order }) => {
      if (!refund?.items || !order) return [];
      const ids = new Set(order.items.map((item) => item.id));
      return refund.items.flatMap((item, i) =>
        ids.has(item.id)
          ? []
          : [{ path: `refund.items[${i}].id`, message: 'must be the id of an item in order.items' }],
      );
    },
  },
];

/** Whether an issue at `issuePath` makes the value at `path` (or one inside it, or around it) untrustworthy. */
const touches = (issuePath: string, path: string): boolean =>
  issuePath === '' ||
  issuePath === path ||
  issuePath.startsWith(`${path}.`) ||
  issuePath.startsWith(`${path}[`) ||
  path.startsWith(`${issuePath}.`);

function crossFieldIssues(
  event: MerchantEventInput,
  shape: readonly FieldIssue[],
  now: number,
): FieldIssue[] {
  return CROSS_FIELD_RULES.filter((rule) =>
    rule.reads.every((path) => !shape.some((issue) => touches(issue.path, path))),
  ).flatMap((rule) => rule.check(event, now));
}

// The mapping copies known fields only: unknown keys inside nested objects never reach the ledger.

function toFact(type: MerchantEventType, event: MerchantEventInput): Fact {
  return compact<Fact>({
    eventId: event.eventId,
    kind: KINDS[type],
    source: 'merchant',
    orderId: event.orderId,
    occurredAt: event.occurredAt,
    order: event.order && toSnapshot(event.order),
    payment: event.payment && toPayment(event.payment),
    shipment: type === 'shipped' ? toShipment(event.shipment ?? {}, event.occurredAt) : undefined,
    refund:
      event.refund &&
      (type === 'refund-requested'
        ? toRefund({ status: 'requested', createdAt: event.occurredAt, ...compact(event.refund) })
        : toRefund(event.refund)),
    reason: event.reason,
  });
}

const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const toDetailPage = (page: DetailPageInput): DetailPageInput =>
  compact({
    status: page.status,
    name: page.name,
    h5: page.h5,
    swan: page.swan,
    iphone: page.iphone,
    android: page.android,
  });

const toItem = (item: OrderItemInput): OrderItemInput =>
  compact({
    id: item.id,
    name: item.name,
    description: item.description,
    quantity: item.quantity,
    price: item.price,
    payPrice: item.payPrice,
    images: item.images && [...item.images],
    sku: item.sku?.map((attr) => ({ name: attr.name, value: attr.value })),
    detail: item.detail && toDetailPage(item.detail),
  });

const toAmountLines = (lines: AmountLine[] | undefined): AmountLine[] | undefined =>
  lines?.map((line) => ({ name: line.name, amount: line.amount, quantity: line.quantity }));

const toSnapshot = (order: OrderSnapshot): OrderSnapshot =>
  compact({
    openId: order.openId,
    category: order.category,
    title: order.title,
    createdAt: order.createdAt,
    items: order.items.map(toItem),
    fees: toAmountLines(order.fees),
    discounts: toAmountLines(order.discounts),
    paymentMethod: order.paymentMethod ?? 'online',
    detail: order.detail && toDetailPage(order.detail),
    appraise: order.appraise && toDetailPage(order.appraise),
  });

const toPayment = (payment: PaymentInput): PaymentInput =>
  compact({ paidAt: payment.paidAt, amount: payment.amount, cashierOrderId: payment.cashierOrderId });

const toShipment = (shipment: ShipmentInput, occurredAt: number): ShipmentInput =>
  compact({
    shippedAt: shipment.shippedAt ?? occurredAt,
    carrier: shipment.carrier,
    trackingNo: shipment.trackingNo,
  });

const toRefund = (refund: RefundInput): RefundInput =>
  compact({
    id: refund.id,
    type: refund.type,
    status: refund.status,
    amount: refund.amount,
    items: refund.items?.map((item) => ({ id: item.id, quantity: item.quantity, amount: item.amount })),
    createdAt: refund.createdAt,
    detail: refund.detail && toDetailPage(refund.detail),
    baiduRefundBatchId: refund.baiduRefundBatchId,
  });
