/** Facts and snapshots for the projection tests: small defaults, every field overridable. */
import type { CashierPayment, Fact, FactKind, OrderSnapshot, RefundInput } from '../../lib/events/types';
import { project, type OrderView, type ProjectionConfig } from '../../lib/projection';

export const ORDER_ID = '2221554346520';
export const CONFIG: ProjectionConfig = { bizAppId: 'app-key-1' };

/** One product, 2 × 1000 fen: the computed amount is 2000. */
export function snapshot(overrides: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    openId: 'open-id-1',
    category: 'physical',
    title: 'Apples',
    createdAt: 50,
    items: [{ id: 'P1', name: 'Apple', quantity: 2, price: 1200, payPrice: 1000 }],
    ...overrides,
  };
}

export function fact(kind: FactKind, occurredAt: number, extra: Partial<Fact> = {}): Fact {
  return {
    eventId: `${kind}@${occurredAt}`,
    kind,
    source: 'merchant',
    orderId: ORDER_ID,
    occurredAt,
    ...extra,
  };
}

export function placed(
  occurredAt: number,
  order: OrderSnapshot = snapshot(),
  extra: Partial<Fact> = {},
): Fact {
  return fact('placed', occurredAt, { order, ...extra });
}

export function cashier(overrides: Partial<CashierPayment> = {}): CashierPayment {
  return {
    orderId: 'cashier-order-1',
    userId: 'cashier-user-1',
    totalMoney: 2000,
    payMoney: 2000,
    dealId: 'deal-1',
    payTime: 1500,
    status: 2,
    ...overrides,
  };
}

export function cashierPaid(occurredAt: number, totalMoney: number, extra: Partial<Fact> = {}): Fact {
  return fact('paid', occurredAt, {
    eventId: `cashier-paid@${occurredAt}`,
    source: 'cashier',
    cashier: cashier({ totalMoney, payTime: occurredAt }),
    ...extra,
  });
}

/** A whole refund-only request for one unit of P1, 500 fen. */
export function refundRequested(
  occurredAt: number,
  refund: Partial<RefundInput> = {},
  extra: Partial<Fact> = {},
): Fact {
  const whole: RefundInput = {
    id: 'R1',
    type: 'refund-only',
    status: 'requested',
    amount: 500,
    items: [{ id: 'P1', quantity: 1, amount: 500 }],
    ...refund,
  };
  return fact('refund-requested', occurredAt, {
    eventId: `requested:${whole.id}@${occurredAt}`,
    refund: whole,
    ...extra,
  });
}

export function refundUpdated(occurredAt: number, refund: RefundInput, extra: Partial<Fact> = {}): Fact {
  return fact('refund-updated', occurredAt, {
    eventId: `updated:${refund.id}@${occurredAt}`,
    refund,
    ...extra,
  });
}

/** The view of a projection that must be ready. */
export function viewOf(facts: readonly Fact[]): OrderView {
  const projection = project(ORDER_ID, facts, CONFIG);
  if (!projection.ready) throw new Error(`expected a ready projection, got ${JSON.stringify(projection)}`);
  return projection.view;
}
