import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  computeOrderAmount,
  parseCashierNotify,
  parseMerchantEvent,
  signWebhook,
  type Fact,
  type FactKind,
  type MerchantEventType,
  type OrderSnapshot,
} from '../../lib/events';
import {
  paidNotifyFields,
  refundAuditFields,
  refundResultFields,
  signedNotifyForm,
} from '../../local/cashier';
import { lifecycle, seeded } from '../helpers/lifecycles';
import { httpEvent, unixNow } from '../http/helpers';

/** The routes of the lifecycle functions (CONTRACT section 2). */
export const ROUTE_KEYS = [
  'POST /events/order-placed',
  'POST /baidu/payment-notify',
  'POST /events/payment-succeeded',
  'POST /events/shipped',
  'POST /events/refund-requested',
  'POST /events/refund-updated',
  'POST /events/order-completed',
  'POST /events/order-closed',
] as const;

export type RouteKey = (typeof ROUTE_KEYS)[number];

/** The cashier's refund callbacks (CONTRACT section 5b): tried by the bad-input and security suites. */
export const REFUND_CALLBACK_ROUTE_KEYS = ['POST /baidu/refund-audit', 'POST /baidu/refund-notify'] as const;
export type RefundCallbackRouteKey = (typeof REFUND_CALLBACK_ROUTE_KEYS)[number];

/** The fields of a refund callback for the order as Baidu's cashier posts them, unsigned. */
export function refundCallbackFields(route: RefundCallbackRouteKey, orderId: string): Record<string, string> {
  const batch = { tpOrderId: orderId, cashierOrderId: '800020151', refundBatchId: `rb-${orderId}` };
  return route === 'POST /baidu/refund-audit'
    ? refundAuditFields({ ...batch, applyRefundMoney: 2390 })
    : refundResultFields({ ...batch, succeeded: true });
}
export const CASHIER_ROUTE_KEY: RouteKey = 'POST /baidu/payment-notify';
export const MERCHANT_ROUTE_KEYS = ROUTE_KEYS.filter((key) => key !== CASHIER_ROUTE_KEY);

/** The fact kinds a merchant event records (the cashier's refund callbacks record the others). */
type MerchantFactKind = Exclude<FactKind, 'refund-audit' | 'refund-result'>;

const EVENT_TYPE: Record<MerchantFactKind, MerchantEventType> = {
  placed: 'order-placed',
  paid: 'payment-succeeded',
  shipped: 'shipped',
  'refund-requested': 'refund-requested',
  'refund-updated': 'refund-updated',
  completed: 'order-completed',
  closed: 'order-closed',
};

function eventTypeOf(kind: FactKind): MerchantEventType {
  if (kind === 'refund-audit' || kind === 'refund-result')
    throw new Error(`${kind} facts come from the cashier, not from a merchant event`);
  return EVENT_TYPE[kind];
}

/** One request a sender (the merchant's backend or Baidu's cashier) makes, and the fact it records. */
export interface Delivery {
  route: RouteKey;
  orderId: string;
  /** the raw body; a merchant body is signed when sent (X-Signature carries the time) */
  body: string;
  signedBy: 'merchant' | 'cashier';
  fact: Fact;
}

/** The merchant event (CONTRACT section 3) that reports a fact. */
export function merchantEvent(fact: Fact): Record<string, unknown> {
  const event: Record<string, unknown> = {
    eventId: fact.eventId,
    occurredAt: fact.occurredAt,
    orderId: fact.orderId,
  };
  if (fact.order) event.order = fact.order;
  if (fact.payment) event.payment = fact.payment;
  if (fact.shipment) event.shipment = fact.shipment;
  if (fact.refund) event.refund = fact.refund;
  if (fact.reason) event.reason = fact.reason;
  return event;
}

/** The fields of the paid notify Baidu's cashier posts for an order (CONTRACT section 5), without rsaSign. */
export function cashierNotifyFields(
  orderId: string,
  snapshot: OrderSnapshot,
  paidAt: number,
): Record<string, string> {
  return paidNotifyFields({
    tpOrderId: orderId,
    cashierOrderId: `cashier-${orderId}`,
    amount: computeOrderAmount(snapshot),
    paidAt,
  });
}

/** The names of the fields Baidu's cashier posts and signs. */
export const CASHIER_FIELD_NAMES: readonly string[] = Object.keys(
  cashierNotifyFields('x', { openId: 'x', category: 'physical', title: 'x', createdAt: 1, items: [] }, 1),
);

/** The paid notify as Baidu's cashier posts it, signed with the platform key. */
export function cashierNotifyForm(
  orderId: string,
  snapshot: OrderSnapshot,
  paidAt: number,
  cashierPrivateKeyPem: string,
): { form: string; fields: Record<string, string> } {
  const fields = cashierNotifyFields(orderId, snapshot, paidAt);
  return { form: signedNotifyForm(fields, cashierPrivateKeyPem), fields };
}

/**
 * The requests that report an order's facts, in the order given. With `cashierPrivateKeyPem`, the payment
 * comes as Baidu's cashier notify instead of the merchant's event. Each delivery's fact is the one the
 * service's own parsers make of it, so a projection of them is what the Order Center must end up showing.
 */
export function deliveriesOf(
  facts: readonly Fact[],
  options: { cashierPrivateKeyPem?: string } = {},
): Delivery[] {
  const snapshot = facts.find((f) => f.order)?.order;
  return facts.map((fact): Delivery => {
    if (fact.kind === 'paid' && options.cashierPrivateKeyPem && snapshot) {
      const paidAt = fact.payment?.paidAt ?? fact.occurredAt;
      const { form, fields } = cashierNotifyForm(
        fact.orderId,
        snapshot,
        paidAt,
        options.cashierPrivateKeyPem,
      );
      return {
        route: CASHIER_ROUTE_KEY,
        orderId: fact.orderId,
        body: form,
        signedBy: 'cashier',
        fact: parseCashierNotify(fields),
      };
    }
    const type = eventTypeOf(fact.kind);
    const event = merchantEvent(fact);
    return {
      route: `POST /events/${type}` as RouteKey,
      orderId: fact.orderId,
      body: JSON.stringify(event),
      signedBy: 'merchant',
      fact: parseMerchantEvent(type, event),
    };
  });
}

/** The API Gateway v2 event of a delivery, as sent now: a merchant body signed with the webhook secret at `t`. */
export function deliveryEvent(
  delivery: Delivery,
  webhookSecret: string,
  t = unixNow(),
): APIGatewayProxyEventV2 {
  if (delivery.signedBy === 'cashier') {
    return httpEvent(delivery.route, delivery.body, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
  return httpEvent(delivery.route, delivery.body, {
    headers: {
      'content-type': 'application/json',
      'x-signature': signWebhook(delivery.body, webhookSecret, t),
    },
  });
}

/**
 * A life with a fact of every kind: placed, paid, shipped, a refund requested and updated, completed, and
 * (made up, after it) closed. Templates for one request of each route.
 */
export function lifeWithEveryKind(orderId: string, openId: string): Fact[] {
  for (let seed = 1; ; seed++) {
    const life = lifecycle({ orderId, openId, category: 'physical', random: seeded(seed) });
    const last = life.at(-1)!;
    if (life.some((f) => f.kind === 'refund-requested') && last.kind === 'completed') {
      return [...life, { ...last, eventId: `${orderId}:closed`, kind: 'closed', reason: 'buyer cancelled' }];
    }
  }
}

/** The merchant route that reports a fact of this kind. */
export const routeOf = (kind: FactKind): RouteKey => `POST /events/${eventTypeOf(kind)}` as RouteKey;
