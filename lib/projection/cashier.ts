import type { Fact } from '../events/types';
import type { Anomaly } from './types';

/** How long a cashier cancel waits before it closes an unpaid order, by default (PAYMENT_CHECK_AFTER_MINUTES). */
export const DEFAULT_CANCEL_AFTER_SECONDS = 15 * 60;

/** What decides a cashier cancel (CONTRACT section 5). */
export interface CancelPolicy {
  /** Unix seconds now; undefined: no cancel has waited long enough yet */
  now: number | undefined;
  /** how long a cancel of an unpaid, unshipped order waits before it closes the order */
  afterSeconds: number;
}

/**
 * What a cashier cancel does to the order. A closed order never reopens, so a cancel is not acted on at
 * once: a buyer who opened the cashier twice has the abandoned attempt cancelled while the other one pays.
 * - `anomaly`: the order is paid, shipped or completed: nothing changes, a person looks.
 * - `wait`: still unpaid and unshipped, the cancel has not waited long enough: look again at `until`.
 * - `close`: still unpaid and unshipped once the wait is over.
 * Issue 19's cashier query is meant to decide in place of the timer (paid -> paid, unpaid -> close); the
 * timer is CONTRACT section 5's rule for a merchant without CASHIER_APP_KEY.
 */
export type CancelDecision =
  { kind: 'anomaly'; anomaly: Anomaly } | { kind: 'wait'; until: number } | { kind: 'close'; at: number };

export function isCashierCancel(fact: Fact): boolean {
  return fact.source === 'cashier' && fact.kind === 'closed';
}

/**
 * Decides the order's cashier cancels (in fold order) given whether anything moved the order past 待付款.
 * Only the earliest cancel can close: the later ones say nothing more.
 */
export function decideCashierCancels(
  cancels: readonly Fact[],
  progressed: boolean,
  policy: CancelPolicy,
): CancelDecision[] {
  if (progressed) {
    return cancels.map((cancel) => ({
      kind: 'anomaly',
      anomaly: { code: 'cashier-cancel-after-progress', eventId: cancel.eventId },
    }));
  }
  const [first] = cancels;
  if (!first) return [];
  const until = first.occurredAt + policy.afterSeconds;
  return [
    policy.now !== undefined && policy.now >= until ? { kind: 'close', at: until } : { kind: 'wait', until },
  ];
}

/** A cashier callback naming another merchant's deal (CASHIER_DEAL_ID): it changes nothing. */
export function foreignDeal(fact: Fact, dealId: string | undefined): Anomaly | undefined {
  if (dealId === undefined || fact.source !== 'cashier' || fact.cashier === undefined) return undefined;
  if (fact.cashier.dealId === dealId) return undefined;
  return { code: 'cashier-foreign-deal', eventId: fact.eventId, dealId: fact.cashier.dealId };
}
