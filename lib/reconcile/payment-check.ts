import type { CashierQueryClient, CashierQueryResult } from '../cashier/client';
import type { PaymentCheckIndex } from '../config';
import { CashierQueryError } from '../cashier/client';
import { cashierQueryFact } from '../events/cashier-query';
import type { Ledger, LedgerItem } from '../ledger/types';
import { awaitsPayment, nextPaymentCheck, project, type OrderView } from '../projection';
import { projectionConfig, pushOrder, type SyncDependencies } from '../sync/push';
import { mapPool } from './pool';

/** What the payment checks of a run did (CONTRACT section 5c), returned in the run's summary. */
export interface PaymentCheckSummary {
  /** queries made (each attempt counted) */
  queries: number;
  /** orders the cashier was asked about */
  asked: number;
  /** answered paid and recorded as the cashier's fact: a notify was lost */
  paid: number;
  /** answered paid with an amount the order does not compute: an anomaly, not a payment */
  mismatched: number;
  /** answered unpaid, or unknown to the cashier (errno 10002) */
  unpaid: number;
  /** the query failed; the order is asked again (next run when Baidu was busy, else on the schedule) */
  failed: number;
  /** in the index but no longer awaiting a payment (paid or closed meanwhile): its place was put right */
  settled: number;
  /** true when the run stopped asking: out of time, or Baidu's quota spent */
  stoppedEarly: boolean;
}

export function emptyPaymentCheckSummary(): PaymentCheckSummary {
  return {
    queries: 0,
    asked: 0,
    paid: 0,
    mismatched: 0,
    unpaid: 0,
    failed: 0,
    settled: 0,
    stoppedEarly: false,
  };
}

/**
 * The cashier a shard's worker asks about its payment checks, or none: without CASHIER_APP_KEY there is no
 * cashier, and with PAYMENT_CHECK_INDEX=deferred (the first of two deploys upgrading a first-release stack)
 * there is no byPaymentCheck index to query yet. Pushes still write the orders' check fields meanwhile;
 * DynamoDB backfills the index from them when the second deploy creates it, so no check is lost.
 */
export function paymentCheckCashier(
  cashier: CashierQueryClient | undefined,
  index: PaymentCheckIndex,
): CashierQueryClient | undefined {
  return index === 'on' ? cashier : undefined;
}

export interface PaymentCheckDependencies {
  sync: SyncDependencies & { paymentCheckAfterMinutes?: number };
  /** absent without CASHIER_APP_KEY: nothing is asked */
  cashier?: CashierQueryClient;
}

export interface PaymentCheckOptions {
  /** the shards whose due checks to run (a reconcile worker: its own one) */
  shards: readonly number[];
  /** epoch ms at which the Lambda's time is up */
  deadline: number;
  /** stop asking when less than this is left (ms); default 5 000 */
  reserveMs?: number;
  /** queries at once; default 4 */
  concurrency?: number;
  /** due checks read per page; default 100 */
  pageSize?: number;
}

const viewOf = (item: LedgerItem, deps: PaymentCheckDependencies): OrderView | undefined => {
  try {
    const projection = project(item.orderId, item.facts, projectionConfig(deps.sync));
    return projection.ready ? projection.view : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Asks the cashier about the orders due for a payment check in the given shards (findByTpOrderId,
 * CONTRACT section 5c). Paid: recorded as the cashier's fact (as its notify would be) and pushed. Unpaid
 * or unknown: asked again at the schedule's next point. A busy or timed-out query leaves the order due
 * (the next run asks); a refused one moves on to the next point, so a misconfiguration does not ask every
 * unpaid order every run; a spent quota stops the checks of this run.
 */
/** The metric whose rise means notifies are being lost (README: troubleshooting). */
export const PAYMENTS_FOUND_BY_QUERY = 'PaymentsFoundByQuery';

export async function runPaymentChecks(
  deps: PaymentCheckDependencies,
  options: PaymentCheckOptions,
): Promise<PaymentCheckSummary> {
  const summary = emptyPaymentCheckSummary();
  const { cashier } = deps;
  const afterMinutes = deps.sync.paymentCheckAfterMinutes;
  if (!cashier || afterMinutes === undefined) return summary;
  const ledger: Ledger = deps.sync.ledger;
  const now = deps.sync.now ?? (() => Date.now());
  const reserveMs = options.reserveMs ?? 5_000;
  const startedAt = now();
  let halted = false;
  const timeLeft = () => !halted && options.deadline - now() >= reserveMs;

  for (const shard of options.shards) {
    let cursor: string | undefined;
    do {
      if (!timeLeft()) break;
      const page = await ledger.queryPaymentChecks({
        shard,
        dueBy: startedAt,
        limit: options.pageSize ?? 100,
        cursor,
      });
      await mapPool(page.orderIds, options.concurrency ?? 4, async (orderId) => {
        try {
          await checkOne(orderId);
        } catch {
          // The ledger failed for this order: it stays in the index, due, and the next run asks again.
          summary.failed += 1;
        }
      });
      cursor = page.cursor;
    } while (cursor);
  }
  summary.stoppedEarly = halted || options.deadline - now() < reserveMs;
  return summary;

  async function checkOne(orderId: string): Promise<void> {
    if (!timeLeft() || !cashier || afterMinutes === undefined) return;
    const item = await ledger.get(orderId);
    if (!item) return;
    const view = viewOf(item, deps);
    const due =
      view === undefined
        ? undefined
        : nextPaymentCheck({ view, facts: item.facts, lastAskedAt: item.paymentCheckAskedAt, afterMinutes });
    if (due === undefined || due > startedAt) {
      // The index is behind the order (paid or closed with no push since): a push puts its place right.
      summary.settled += 1;
      await pushOrder(deps.sync, orderId, { deadline: options.deadline - reserveMs });
      return;
    }
    const askedAt = now();
    const next = nextPaymentCheck({
      view: view as OrderView,
      facts: item.facts,
      lastAskedAt: askedAt,
      afterMinutes,
    });
    summary.asked += 1;
    let result: CashierQueryResult;
    try {
      result = await cashier.findByTpOrderId(orderId, { deadline: options.deadline - reserveMs });
    } catch (err) {
      summary.failed += 1;
      summary.queries += err instanceof CashierQueryError ? err.attempts : 1;
      if (err instanceof CashierQueryError && err.kind === 'quota') halted = true;
      else if (!(err instanceof CashierQueryError && err.kind === 'transient')) {
        await ledger.notePaymentCheck(orderId, { askedAt, nextDueAt: next });
      }
      return;
    }
    summary.queries += result.attempts;
    if (!result.found || result.answer.status !== 2) {
      summary.unpaid += 1;
      await ledger.notePaymentCheck(orderId, { askedAt, nextDueAt: next });
      return;
    }
    // Recorded first: if the ledger fails here, the order stays due and the next run asks again.
    const fact = cashierQueryFact(result.answer, Math.floor(askedAt / 1000));
    await ledger.recordFact(fact);
    const after = project(orderId, [...item.facts, fact], projectionConfig(deps.sync));
    if (after.ready && awaitsPayment(after.view)) summary.mismatched += 1;
    else summary.paid += 1;
    await ledger.notePaymentCheck(orderId, { askedAt, nextDueAt: next });
    await pushOrder(deps.sync, orderId, { deadline: options.deadline - reserveMs });
  }
}
