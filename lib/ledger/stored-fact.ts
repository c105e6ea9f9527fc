import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { computeOrderAmount } from '../events/amount';
import type { Fact, OrderSnapshot } from '../events/types';
import { compareFacts } from '../projection/facts';
import { factFingerprint } from './fingerprint';

/**
 * How a fact sits on its order's item (in the attribute f#<eventId>) when it arrives: what the fact says,
 * less what the item already holds (the orderId is the key, the eventId the attribute's name) and less
 * its snapshot, which the item keeps once, for the latest snapshot only. What the projection still needs
 * of any snapshot is its amount (a cashier payment may match any snapshot's) and that it came (a change).
 * `fingerprint` is what the eventId named when it was recorded: a repeat is compared with it.
 */
export type StoredFact = ArchivedFact & { fingerprint: string };

/** A stored fact in the order's archive: its fingerprint stays in f#<eventId>, where repeats find it. */
export type ArchivedFact = Omit<Fact, 'eventId' | 'orderId' | 'order' | 'snapshotAmount'> & {
  snapshotAmount?: number;
};

/** A fact as the first release stored it: the whole fact, snapshot included, without a fingerprint. */
export type FirstReleaseFact = Fact;

/** What f#<eventId> holds: the fact (first-release or stored), or, once archived, its fingerprint alone. */
export type FactEntry = StoredFact | FirstReleaseFact | string;

export function toStoredFact(fact: Fact): StoredFact {
  return { ...toArchivedFact(fact), fingerprint: factFingerprint(fact) };
}

function toArchivedFact(fact: Fact): ArchivedFact {
  const { eventId: _eventId, orderId: _orderId, order, snapshotAmount, ...rest } = fact;
  const archived: ArchivedFact = { ...rest };
  const amount = order === undefined ? snapshotAmount : computeOrderAmount(order);
  if (amount !== undefined) archived.snapshotAmount = amount;
  return archived;
}

const isFirstRelease = (entry: StoredFact | FirstReleaseFact): entry is FirstReleaseFact =>
  Object.hasOwn(entry, 'eventId');

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
 * The fact back from what the item holds. Every shape reads: the first release's whole facts, stored
 * facts, and archived ones. Each is given back its snapshot when it holds the latest, else the amount
 * its snapshot computed.
 */
export function fromStoredFact(
  orderId: string,
  eventId: string,
  entry: StoredFact | ArchivedFact | FirstReleaseFact,
  held: HeldSnapshot | undefined,
): Fact {
  if (Object.hasOwn(entry, 'eventId')) return entry as FirstReleaseFact;
  const { fingerprint: _fingerprint, snapshotAmount, ...rest } = entry as StoredFact;
  const fact: Fact = { eventId, orderId, ...rest };
  if (held?.eventId === eventId) fact.order = held.order;
  else if (snapshotAmount !== undefined) fact.snapshotAmount = snapshotAmount;
  return fact;
}

/** The fingerprint an eventId was recorded with (computed for a first-release fact, which kept it whole). */
export function storedFingerprint(entry: FactEntry): string {
  if (typeof entry === 'string') return entry;
  return isFirstRelease(entry) ? factFingerprint(entry) : entry.fingerprint;
}

/** The archive: the bodies of facts whose f#<eventId> holds only a fingerprint, deflated JSON. */
export type Archive = [eventId: string, fact: ArchivedFact][];

export function decodeArchive(bytes: Uint8Array | undefined): Archive {
  return bytes === undefined ? [] : (JSON.parse(inflateRawSync(bytes).toString('utf8')) as Archive);
}

/** What an archiving write sets: the new archive, each archived fact's fingerprint, and the snapshot to hold. */
export interface Archived {
  archive: Uint8Array;
  fingerprints: Map<string, string>;
  /** the latest snapshot of all facts, when the item does not hold it yet (first-release facts had it) */
  held?: HeldSnapshot & { key: string };
}

/**
 * Moves every fact the item holds whole into the archive. `facts` are all of the order's facts as read
 * (first-release ones still carrying their snapshots), `entries` what f#<eventId> holds for the live ones.
 */
export function archiveFacts(
  facts: readonly Fact[],
  live: ReadonlyMap<string, StoredFact | FirstReleaseFact>,
  archive: Archive,
  held: HeldSnapshot | undefined,
): Archived {
  const fingerprints = new Map<string, string>();
  const next: Archive = [...archive];
  for (const fact of facts) {
    const entry = live.get(fact.eventId);
    if (entry === undefined) continue;
    next.push([fact.eventId, toArchivedFact(fact)]);
    fingerprints.set(fact.eventId, storedFingerprint(entry));
  }
  const archived: Archived = {
    archive: deflateRawSync(Buffer.from(JSON.stringify(next), 'utf8')),
    fingerprints,
  };
  const latest = facts
    .filter((f) => f.order !== undefined)
    .sort(compareFacts)
    .at(-1);
  if (latest?.order !== undefined && latest.eventId !== held?.eventId) {
    archived.held = { eventId: latest.eventId, order: latest.order, key: foldKey(latest) };
  }
  return archived;
}
