import type { AmountLine, Fact, OrderSnapshot, PaymentMethodName } from '../events/types';
import { computeOrderAmount } from '../events/amount';
import type { Payment, PaymentMethod, PaymentSpecInfo } from '../order-center/types';
import type { Anomaly } from './types';

const PAYMENT_METHOD: Readonly<Record<PaymentMethodName, PaymentMethod>> = {
  online: 1,
  'cash-on-delivery': 2,
};

/** Payment without what the facts decide (IsPayment, Time): the snapshot's terms and what they add up to. */
export type PaymentTerms = Omit<Payment, 'IsPayment' | 'Time'>;

function toSpecInfo(lines: readonly AmountLine[]): PaymentSpecInfo[] {
  return lines.map((line) => ({ Name: line.name, Value: line.amount, Quantity: line.quantity }));
}

/** Method, fees and discounts from the snapshot; Amount computed from them and its items (the products sent), never trusted. */
export function paymentTerms(snapshot: OrderSnapshot): PaymentTerms {
  const terms: PaymentTerms = { Method: PAYMENT_METHOD[snapshot.paymentMethod ?? 'online'], Amount: 0 };
  if (snapshot.fees !== undefined && snapshot.fees.length > 0) terms.PaymentInfo = toSpecInfo(snapshot.fees);
  if (snapshot.discounts !== undefined && snapshot.discounts.length > 0) {
    terms.PreferentialInfo = toSpecInfo(snapshot.discounts);
  }
  terms.Amount = computeOrderAmount(snapshot);
  return terms;
}

/**
 * Folds paid facts (in fold order) against what the order costs. A cashier notify whose totalMoney is the
 * amount of none of the order's snapshots is not a payment: it only becomes an anomaly for a person to
 * look at. Any snapshot, not only the latest: a later snapshot with another amount (a fee added after the
 * payment) must not un-pay an order Baidu already showed paid, since facts only ever move it forward.
 */
export class PaymentFold {
  readonly anomalies: Anomaly[] = [];
  private paidAt: number | undefined;
  private cashierOrderId: string | undefined;

  /** `amount`: what the latest snapshot computes; `snapshotAmounts`: what every snapshot computes. */
  constructor(
    private readonly amount: number,
    private readonly snapshotAmounts: ReadonlySet<number>,
  ) {}

  /** Returns whether the fact counts as paid. */
  apply(fact: Fact): boolean {
    const cashier = fact.cashier;
    if (fact.source === 'cashier' && cashier !== undefined && !this.snapshotAmounts.has(cashier.totalMoney)) {
      this.anomalies.push({
        code: 'cashier-amount-mismatch',
        eventId: fact.eventId,
        expected: this.amount,
        received: cashier.totalMoney,
      });
      return false;
    }
    this.paidAt ??= fact.payment?.paidAt ?? cashier?.payTime ?? fact.occurredAt;
    this.cashierOrderId ??= fact.payment?.cashierOrderId ?? cashier?.orderId;
    return true;
  }

  /** The cashier's order id from the first paid fact that carries one (-> scene_id). */
  get sceneId(): string | undefined {
    return this.cashierOrderId;
  }

  payment(terms: PaymentTerms): Payment {
    return { ...terms, IsPayment: this.paidAt !== undefined, Time: this.paidAt ?? 0 };
  }
}
