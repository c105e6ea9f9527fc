import { computeOrderAmount } from './events/amount';
import { VIRTUAL_CARRIER_MESSAGE } from './events/parcel';
import type { Fact } from './events/types';
import { EventIdConflictError, type LedgerItem, type RecordResult, type SyncState } from './ledger/types';
import { OrderOwnerChangedError } from './order-owner';
import { canonicalFacts, latestSnapshot } from './projection/facts';
import type { OrderService } from './service';
import { pushOrder, type PushOutcome } from './sync/push';
import { InvalidInputError } from './validation';

/** What a caller is told once its fact is recorded. */
export interface IntakeReply {
  orderId: string;
  eventId: string;
  duplicate: boolean;
  /** a Baidu callback that reused a recorded key for other content: kept for a person, answered as a duplicate */
  conflict?: boolean;
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

/** A merchant payment carries an amount but no snapshot: it is checked against the snapshot recorded. */
const checkedAgainstLedger = (fact: Fact): boolean =>
  fact.kind === 'paid' && fact.source === 'merchant' && !fact.order && fact.payment?.amount !== undefined;

/** docs/contract.md section 3: a payment.amount that differs from the order's computed amount is rejected with 422. */
function checkPaymentAgainstLedger(item: LedgerItem, fact: Fact): void {
  const snapshot = latestSnapshot(canonicalFacts(fact.orderId, item.facts));
  if (!snapshot || fact.payment?.amount === undefined) return;
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

/** A parcel on an event without a snapshot: whether the order is virtual is known from the ledger only. */
const parcelCheckedAgainstLedger = (fact: Fact): boolean =>
  fact.source === 'merchant' &&
  !fact.order &&
  (fact.shipment?.carrier !== undefined || fact.refund?.returnShipment !== undefined);

/** docs/contract.md section 4: a carrier on a virtual order is a 422 naming the field. */
function checkParcelAgainstLedger(item: LedgerItem, fact: Fact): void {
  if (latestSnapshot(canonicalFacts(fact.orderId, item.facts))?.category !== 'virtual') return;
  const path = fact.shipment?.carrier !== undefined ? 'shipment.carrier' : 'refund.returnShipment.carrier';
  throw new InvalidInputError([{ path, message: VIRTUAL_CARRIER_MESSAGE }], `invalid ${fact.kind} event`);
}

/**
 * Duplicates first: an eventId already on the order is decided by what was recorded under it (the
 * ledger compares the content), never by a check against what arrived since. A retried payment stays a
 * duplicate after a snapshot that changed the amount; only a new one is checked. The owner check needs
 * no read: it is a condition of the ledger's write, which decides duplicates before it.
 */
async function recordChecked(
  service: OrderService,
  fact: Fact,
): Promise<Exclude<RecordResult, { outcome: 'owner-conflict' }>> {
  // Only a merchant payment with an amount, or a parcel without a snapshot, reads the order first.
  if (checkedAgainstLedger(fact) || parcelCheckedAgainstLedger(fact)) {
    const item = await service.ledger.get(fact.orderId);
    if (item && !item.facts.some((recorded) => recorded.eventId === fact.eventId)) {
      if (checkedAgainstLedger(fact)) checkPaymentAgainstLedger(item, fact);
      if (parcelCheckedAgainstLedger(fact)) checkParcelAgainstLedger(item, fact);
    }
  }
  const recorded = await service.ledger.recordFact(fact);
  if (recorded.outcome === 'owner-conflict') throw new OrderOwnerChangedError(fact.orderId, recorded.owner);
  return recorded;
}

/**
 * Records a fact durably, then pushes the order within the time given. The reply depends only on the
 * record: once it is written, nothing is lost, and what the push leaves undone is reconcile's.
 * A merchant eventId reused for other content is refused (EventIdConflictError, changing nothing). A
 * Baidu callback is never answered with an error for it (Baidu may refund on errors): the conflict is
 * kept on the order for a person, and the callback answered as the duplicate it claims to be.
 */
export async function intakeFact(
  service: OrderService,
  fact: Fact,
  options: IntakeOptions,
): Promise<IntakeReply> {
  const recorded = await recordChecked(service, fact);
  const base = { orderId: fact.orderId, eventId: fact.eventId };
  if (recorded.outcome === 'conflict') {
    if (fact.source === 'merchant') throw new EventIdConflictError(fact.orderId, fact.eventId);
    await service.ledger.noteConflict(fact.orderId, {
      code: 'event-id-conflict',
      eventId: fact.eventId,
      detail:
        `Baidu sent other content under ${fact.eventId} (fingerprint ${recorded.fingerprint}); ` +
        `the first (${recorded.recordedFingerprint}) stays recorded, the second changed nothing`,
      fingerprint: recorded.fingerprint,
    });
  }
  if (recorded.outcome !== 'recorded') {
    const reply: IntakeReply = { ...base, duplicate: true, sync: syncOf(recorded.syncState) };
    if (recorded.outcome === 'conflict') reply.conflict = true;
    return reply;
  }
  // No inline push for an order in transient backoff (a new fact does not skip it), nor while this
  // instance's inline pushes keep failing: recorded is enough, reconcile's workers push within the budget.
  const now = (options.now ?? Date.now)();
  const backingOff = recorded.nextAttemptAt > now;
  if (backingOff || !service.inlineBreaker.allows(now)) return { ...base, duplicate: false, sync: 'pending' };
  const outcome = await pushOrder(service.sync, fact.orderId, { deadline: options.pushDeadline });
  service.inlineBreaker.record(outcome, (options.now ?? Date.now)());
  return { ...base, duplicate: false, sync: syncOf(outcome.state) };
}
