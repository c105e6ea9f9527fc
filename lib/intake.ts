import { computeOrderAmount } from './events/amount';
import type { Fact } from './events/types';
import type { LedgerItem, SyncState } from './ledger/types';
import { checkOrderOwner } from './order-owner';
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
 * (docs/contract.md section 3: a payment.amount that differs is rejected with 422).
 */
function checkPaymentAgainstLedger(item: LedgerItem | undefined, fact: Fact): void {
  if (fact.kind !== 'paid' || fact.source !== 'merchant' || fact.order || fact.payment?.amount === undefined)
    return;
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
  // The checks against what is recorded read the order only when the fact needs them.
  if (fact.order || (fact.kind === 'paid' && fact.source === 'merchant')) {
    const item = await service.ledger.get(fact.orderId);
    checkPaymentAgainstLedger(item, fact);
    checkOrderOwner(item, fact);
  }
  const recorded = await service.ledger.recordFact(fact);
  const base = { orderId: fact.orderId, eventId: fact.eventId, duplicate: recorded.duplicate };
  if (recorded.duplicate) {
    const item = await service.ledger.get(fact.orderId);
    return { ...base, sync: syncOf(item?.syncState ?? 'pending') };
  }
  const outcome = await pushOrder(service.sync, fact.orderId, { deadline: options.pushDeadline });
  return { ...base, sync: syncOf(outcome.state) };
}
