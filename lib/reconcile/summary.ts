import type { OrderCenterCall } from '../order-center/types';
import type { PushOutcome } from '../sync/push';
import type { PaymentCheckSummary } from './payment-check';

/** What a reconcile run did, returned to the caller and logged. */
export interface ReconcileSummary {
  /** orders taken up (due ones, or the ones named) */
  due: number;
  /** orders whose push made at least one Order Center call */
  pushed: number;
  /** orders now synced */
  confirmed: number;
  pending: number;
  failed: number;
  dead: number;
  /** cashier payments still waiting for the merchant's snapshot */
  waiting: number;
  /** orders another pusher was holding */
  busy: number;
  /** orders that hit Baidu's call quota (errno 50029, error_code 17/18) and now wait minutes */
  quota: number;
  /** calls made, by endpoint (each attempt counted) */
  calls: Partial<Record<OrderCenterCall, number>>;
  durationMs: number;
  /** true when the run stopped taking work because its time was running out */
  stoppedEarly: boolean;
  /** the cashier questions about unpaid orders (CONTRACT section 5c); absent when none were run */
  paymentChecks?: PaymentCheckSummary;
}

export function emptySummary(): ReconcileSummary {
  return {
    due: 0,
    pushed: 0,
    confirmed: 0,
    pending: 0,
    failed: 0,
    dead: 0,
    waiting: 0,
    busy: 0,
    quota: 0,
    calls: {},
    durationMs: 0,
    stoppedEarly: false,
  };
}

export function countCall(summary: ReconcileSummary, call: OrderCenterCall, attempts: number): void {
  summary.calls[call] = (summary.calls[call] ?? 0) + attempts;
}

/** Adds one order's outcome to the tallies. */
export function tally(
  summary: ReconcileSummary,
  outcome: Pick<PushOutcome, 'state' | 'calls'> & Partial<Pick<PushOutcome, 'error'>>,
): void {
  for (const c of outcome.calls) countCall(summary, c.call, c.attempts);
  if (outcome.calls.length > 0) summary.pushed += 1;
  if (outcome.error?.kind === 'quota') summary.quota += 1;
  switch (outcome.state) {
    case 'synced':
      summary.confirmed += 1;
      break;
    case 'failed':
      summary.failed += 1;
      break;
    case 'dead':
      summary.dead += 1;
      break;
    case 'waiting':
      summary.waiting += 1;
      break;
    case 'busy':
      summary.busy += 1;
      break;
    default:
      summary.pending += 1;
  }
}
