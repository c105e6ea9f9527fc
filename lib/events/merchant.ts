import { ArraySchema, ObjectSchema, ValidationError, type Schema } from 'yup';
import { InvalidInputError, issuesFromYup, type FieldIssue } from '../validation';
import { computeOrderAmount } from './amount';
import { unixNow, type UnixClock } from './clock';
import { VIRTUAL_CARRIER_MESSAGE } from './parcel';
import {
  LIMITS,
  merchantEventSchema,
  type MerchantEventInput,
  type MerchantEventSchema,
} from './merchant-schema';
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
  ReturnShipmentInput,
  ShipmentInput,
} from './types';

export interface ParseMerchantEventOptions {
  /** The current time in Unix seconds; bounds how far ahead occurredAt may be. */
  now?: UnixClock;
  /**
   * Whether the body must name its own `type` (over HTTP: the signature covers the body, not the route,
   * so a signed body replayed to another route must not be taken as that route's event). A `type` that is
   * given must equal the event type in any case.
   */
  requireType?: boolean;
}

/** Unknown keys named in one refusal at most: the rest adds nothing and costs time. */
const MAX_UNKNOWN_KEY_ISSUES = 50;

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
 * Validates a merchant event (docs/contract.md section 3) and turns it into the fact it records.
 * Throws InvalidInputError naming every offending path.
 */
export function parseMerchantEvent(
  type: MerchantEventType,
  input: unknown,
  opts: ParseMerchantEventOptions = {},
): Fact {
  const schema = merchantEventSchema(type);
  const context = `invalid ${type} event`;
  if (!isRecord(input))
    throw new InvalidInputError([{ path: '', message: 'must be a JSON object' }], context);

  const issues = [
    ...typeIssues(type, input, opts.requireType === true),
    ...unknownKeyIssues(type, schema, input),
    ...shapeIssues(schema, input),
  ];
  // Paths without a shape issue hold well-typed values, so the cross-field rules may read them as such.
  issues.push(...crossFieldIssues(input as unknown as MerchantEventInput, issues, (opts.now ?? unixNow)()));
  if (issues.length > 0) throw new InvalidInputError(issues, context);
  return toFact(type, input as unknown as MerchantEventInput);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function typeIssues(
  type: MerchantEventType,
  input: Record<string, unknown>,
  required: boolean,
): FieldIssue[] {
  const given = input.type;
  if (given === undefined) {
    return required
      ? [{ path: 'type', message: `is required (the event's type, "${type}" on this route)` }]
      : [];
  }
  return given === type ? [] : [{ path: 'type', message: `must be "${type}", the type of this route` }];
}

/**
 * Keys no schema knows, at every depth: dropping them silently would accept what the sender believes
 * was recorded (a misspelt `payPirce`, a field of a later version).
 */
function unknownKeyIssues(
  type: MerchantEventType,
  schema: MerchantEventSchema,
  input: Record<string, unknown>,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const fields = schema.fields as Record<string, Schema>;
  for (const key of Object.keys(input)) {
    if (issues.length >= MAX_UNKNOWN_KEY_ISSUES) break;
    if (!Object.hasOwn(fields, key)) issues.push({ path: key, message: `is not a field of ${type} events` });
    else nestedUnknownKeys(fields[key], input[key], key, issues);
  }
  return issues;
}

function nestedUnknownKeys(schema: Schema, value: unknown, path: string, issues: FieldIssue[]): void {
  if (schema instanceof ObjectSchema && isRecord(value)) {
    const fields = schema.fields as Record<string, Schema>;
    for (const key of Object.keys(value)) {
      if (issues.length >= MAX_UNKNOWN_KEY_ISSUES) return;
      const inner = `${path}.${key}`;
      if (!Object.hasOwn(fields, key)) issues.push({ path: inner, message: 'is not a known field' });
      else nestedUnknownKeys(fields[key], value[key], inner, issues);
    }
  } else if (schema instanceof ArraySchema && Array.isArray(value)) {
    const item = (schema as ArraySchema<unknown[], object>).innerType as Schema | undefined;
    if (!item) return;
    value.forEach((element, i) => nestedUnknownKeys(item, element, `${path}[${i}]`, issues));
  }
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

/** Line totals (amount × quantity) and their sum within the cap, so every sum stays an exact integer. */
function totalIssues<T extends { quantity: number }>(
  path: string,
  lines: readonly T[] | undefined,
  amount: (line: T) => number,
): FieldIssue[] {
  if (!lines) return [];
  const issues: FieldIssue[] = [];
  let sum = 0;
  lines.forEach((line, i) => {
    const total = amount(line) * line.quantity;
    sum += total;
    if (total > LIMITS.maxFen) {
      issues.push({
        path: `${path}[${i}].quantity`,
        message: `times the amount must be at most ${LIMITS.maxFen} fen`,
      });
    }
  });
  if (issues.length === 0 && sum > LIMITS.maxFen) {
    issues.push({ path, message: `must total at most ${LIMITS.maxFen} fen` });
  }
  return issues;
}

const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  {
    reads: ['shipment.carrier', 'shipment.trackingNo'],
    check: ({ shipment }) =>
      shipment?.carrier !== undefined && (shipment.trackingNo ?? '').trim() === ''
        ? [
            {
              path: 'shipment.trackingNo',
              message: 'is required when shipment.carrier is given (Express.ID)',
            },
          ]
        : [],
  },
  {
    reads: ['shipment.carrier', 'shipment.carrierName'],
    check: ({ shipment }) =>
      shipment?.carrierName !== undefined && shipment.carrier === undefined
        ? [
            {
              path: 'shipment.carrier',
              message:
                "is required when shipment.carrierName is given (Baidu's carrier code, e.g. SFEXPRESS)",
            },
          ]
        : [],
  },
  {
    reads: ['order.category', 'shipment.carrier', 'refund.returnShipment'],
    check: ({ order, shipment, refund }) => {
      if (order?.category !== 'virtual') return [];
      const issues: FieldIssue[] = [];
      if (shipment?.carrier !== undefined)
        issues.push({ path: 'shipment.carrier', message: VIRTUAL_CARRIER_MESSAGE });
      if (refund?.returnShipment !== undefined)
        issues.push({ path: 'refund.returnShipment.carrier', message: VIRTUAL_CARRIER_MESSAGE });
      return issues;
    },
  },
  {
    reads: ORDER_AMOUNT_INPUTS,
    check: ({ order }) => {
      if (!order) return [];
      const issues = [
        // price is shown beside payPrice (Product.OriginPrice): its totals must stay exact too
        ...totalIssues('order.items', order.items, (item) => Math.max(item.price, item.payPrice)),
        ...totalIssues('order.fees', order.fees, (line) => line.amount),
        ...totalIssues('order.discounts', order.discounts, (line) => line.amount),
      ];
      if (issues.length === 0 && computeOrderAmount(order) > LIMITS.maxFen) {
        const message = `with fees and discounts must total at most ${LIMITS.maxFen} fen`;
        issues.push({ path: 'order.items', message });
      }
      return issues;
    },
  },
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
    carrierName: shipment.carrierName,
    trackingNo: shipment.trackingNo,
  });

const toReturnShipment = (parcel: ReturnShipmentInput): ReturnShipmentInput =>
  compact({ carrier: parcel.carrier, carrierName: parcel.carrierName, trackingNo: parcel.trackingNo });

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
    returnShipment: refund.returnShipment && toReturnShipment(refund.returnShipment),
  });
