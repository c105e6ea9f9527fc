import type { Fact } from '../events/types';
import { isCashierCancel } from './cashier';
import type { OrderView } from './types';

/**
 * When the cashier is asked about an unpaid order (CONTRACT section 5c): about 15 minutes, 1 hour, 6 hours
 * and 24 hours after it was placed, then never. Most unpaid orders are simply abandoned: the cost of
 * asking stays a few queries per unpaid order, however long it stays unpaid.
 */
export const PAYMENT_CHECK_SCHEDULE_MINUTES: readonly number[] = [15, 60, 6 * 60, 24 * 60];

/** The schedule's points (minutes after placing), the first moved to PAYMENT_CHECK_AFTER_MINUTES. */
export function paymentCheckPoints(afterMinutes: number): number[] {
  return [afterMinutes, ...PAYMENT_CHECK_SCHEDULE_MINUTES.filter((m) => m > afterMinutes)];
}

export interface PaymentCheckInput {
  /** the order as the Order Center should show it */
  view: OrderView;
  /** the order's facts: a cashier cancel makes it due at once */
  facts: readonly Fact[];
  /** epoch ms of the last time the cashier was asked about it; undefined: never */
  lastAskedAt?: number;
  /** PAYMENT_CHECK_AFTER_MINUTES */
  afterMinutes: number;
}

/** Whether the order still waits for a payment the cashier could know of: unpaid, not closed, paid online. */
export function awaitsPayment(view: OrderView): boolean {
  const payment = view.data.EXT.MainOrder.Payment;
  return view.data.Status === 1 && !payment.IsPayment && payment.Method === 1;
}

/**
 * When the cashier should next be asked about the order (epoch ms), or undefined: it is paid, closed,
 * paid on delivery, or the schedule is over. The next point is the first one after the last question, so
 * a run that comes late asks once, not once per point it missed. A cashier cancel not asked about yet is
 * due at once (CONTRACT section 5: the cashier's answer, not the cancel, says whether the buyer paid).
 */
export function nextPaymentCheck(input: PaymentCheckInput): number | undefined {
  if (!awaitsPayment(input.view)) return undefined;
  const placedMs = input.view.data.Ctime * 1000;
  const after = (at: number) => input.lastAskedAt === undefined || at > input.lastAskedAt;
  const due = paymentCheckPoints(input.afterMinutes)
    .map((minutes) => placedMs + minutes * 60_000)
    .filter(after);
  const cancels = input.facts.filter(isCashierCancel).map((fact) => fact.occurredAt * 1000);
  if (cancels.length > 0) {
    const cancelAt = Math.min(...cancels);
    if (after(cancelAt)) due.push(cancelAt);
  }
  return due.length > 0 ? Math.min(...due) : undefined;
}
