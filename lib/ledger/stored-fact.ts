import { computeOrderAmount } from '../events/amount';
import type { Fact, OrderSnapshot } from '../events/types';
import { factFingerprint } from './fingerprint';

/**
 * How a fact sits on its order's item (in the attribute f#<eventId>): what the fact says, less what the
 * item already holds (the orderId is the key, the eventId the attribute's name) and less its snapshot,
 * which the item keeps once, for the latest snapshot only. What the projection still needs of any
 * snapshot is its amount (a cashier payment may match any snapshot's) and that it came (a change).
 * `fingerprint` is what the eventId named when it was recorded: a repeat is compared with it.
 */
export type StoredFact = Omit<Fact, 'eventId' | 'orderId' | 'order' | 'snapshotAmount'> & {
  fingerprint: string;
  snapshotAmount?: number;
};

/** A fact as the first release stored it: the whole fact, snapshot included, without a fingerprint. */
type FirstReleaseFact = Fact & { fingerprint?: undefined };

export function toStoredFact(fact: Fact): StoredFact {
  const { eventId: _eventId, orderId: _orderId, order, snapshotAmount: _compacted, ...rest } = fact;
  const stored: StoredFact = { ...rest, fingerprint: factFingerprint(fact) };
  if (order !== undefined) stored.snapshotAmount = computeOrderAmount(order);
  return stored;
}

/** Where a fact falls in the fold order (occurredAt, then eventId by code unit), as a string that sorts the same by bytes. */
export function foldKey(fact: Pick<Fact, 'occurredAt' | 'eventId'>): string {
  let units = '';
  for (let i = 0; i < fact.eventId.length; i++) {
    units += fact.eventId.charCodeAt(i).toString(16).padStart(4, '0');
  }
  return `${String(fact.occurredAt).padStart(16, '0')}#${units}`;
}

/** The item's latest snapshot and the fact that brought it. */
export interface HeldSnapshot {
  eventId: string;
  order: OrderSnapshot;
}

/**
 * The fact back from its stored form. Either shape reads: the first release's whole facts, and the
 * compacted ones (given back their snapshot when they hold the latest, else the amount it computed).
 */
export function fromStoredFact(
  orderId: string,
  eventId: string,
  raw: StoredFact | FirstReleaseFact,
  held: HeldSnapshot | undefined,
): Fact {
  if (raw.fingerprint === undefined) return raw;
  const { fingerprint: _fingerprint, snapshotAmount, ...rest } = raw;
  const fact: Fact = { eventId, orderId, ...rest };
  if (held?.eventId === eventId) fact.order = held.order;
  else if (snapshotAmount !== undefined) fact.snapshotAmount = snapshotAmount;
  return fact;
}

/** The fingerprint an eventId was recorded with (computed for a first-release fact, which kept it whole). */
export function storedFingerprint(raw: StoredFact | FirstReleaseFact): string {
  return raw.fingerprint ?? factFingerprint(raw);
}
