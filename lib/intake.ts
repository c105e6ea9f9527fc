import { computeOrderAmount } from './events/amount';
import type { Fact } from './events/types';
import type { SyncState } from './ledger/types';
import { canonicalFacts, latestSnapshot } from './projection/facts';
import type { Service } from './service';
import { pushOrder, type PushOutcome } from './sync/push';
import { InvalidInputError } from './validation';

/** What a caller is told once its fact is recorded. */
export interface IntakeReply {
  orderId: string;
  eventId: string;
  duplicate: boolean;
  sync: 'synced' | 'pending' | 'failed';
}

export interface IntakeOptions {
  /** epoch ms by which the push must be over; the fact is recorded whatever happens to the push */
  pushDeadline: number;
  now?: () => number;
}

function syncOf(state: SyncState | PushOutcome['state']): IntakeReply['sync'] {
  if (state === 'synced') return 'synced';
  if (state === 'failed' || state === 'dead') return 'failed';
  return 'pending';
}

/**
 * A merchant payment carries an amount but no snapshot: check it against the snapshot already recorded
 * (CONTRACT section 3: a payment.amount that differs is rejected with 422).
 */
async function checkPaymentAgainstLedger(service: Service, fact: Fact): Promise<void> {
  if (fact.kind !== 'paid' || fact.source !== 'merchant' || fact.order || fact.payment?.amount === undefined)
    return;
  const item = await service.ledger.get(fact.orderId);
  const snapshot = item ? latestSnapshot(canonicalFacts(fact.orderId, item.facts)) : undefined;
  if (!snapshot) return;
  const expected = computeOrderAmount(snapshot);
  if (fact.payment.amount !== expected) {
    throw new InvalidInputError(
      [
        {
          path: 'payment.amount',
          message: `must equal the order's computed amount ${expected}, got ${fact.payment.amount}`,
        },
      ],
      'invalid payment-succeeded event',
    );
  }
}

/**
 * Records a fact durably, then pushes the order within the time given. The reply depends only on the
 * record: once it is written, nothing is lost, and what the push leaves undone is reconcile's.
 */
export async function recordAndPush(
  service: Service,
  fact: Fact,
  options: IntakeOptions,
): Promise<IntakeReply> {
  await checkPaymentAgainstLedger(service, fact);
  const recorded = await service.ledger.recordFact(fact);
  const base = { orderId: fact.orderId, eventId: fact.eventId, duplicate: recorded.duplicate };
  if (recorded.duplicate) {
    const item = await service.ledger.get(fact.orderId);
    return { ...base, sync: syncOf(item?.syncState ?? 'pending') };
  }
  // No inline push for an order in transient backoff (a new fact does not skip it), nor while this
  // instance's inline pushes keep failing: recorded is enough, reconcile's workers push within the budget.
  const now = (options.now ?? Date.now)();
  const backingOff = recorded.item !== undefined && recorded.item.nextAttemptAt > now;
  if (backingOff || !service.inlineBreaker.allows(now)) return { ...base, sync: 'pending' };
  const outcome = await pushOrder(service.sync, fact.orderId, { deadline: options.pushDeadline });
  service.inlineBreaker.record(outcome, (options.now ?? Date.now)());
  return { ...base, sync: syncOf(outcome.state) };
}
