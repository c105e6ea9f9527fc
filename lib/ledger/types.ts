import type { Fact } from '../events/types';
import type { Express, OrderData } from '../order-center/types';

/** What Baidu last answered to one parcel of an order (add/main/logistics). */
export interface LogisticsAck {
  Express: Express;
  /** Baidu refused it for good (an unknown carrier code...): not sent again until the parcel changes */
  refused?: { message: string; /** epoch ms */ at: number };
}

/**
 * What the Order Center confirmed of one order: the add/main/info item as it stands at Baidu, and beside
 * it (no call carries both) the answer to each of its parcels, one per Express.Type.
 */
export type AckedOrder = OrderData & { logistics?: LogisticsAck[] };

/**
 * synced: the Order Center shows what the facts say. pending: a push is due at nextAttemptAt.
 * failed: the Order Center refused it for good; a person looks (no automatic retry).
 * dead: too many transient failures in a row; revive puts it back. waiting: no snapshot yet.
 */
export type SyncState = 'pending' | 'synced' | 'failed' | 'dead' | 'waiting';
export type QueueName = Exclude<SyncState, 'synced'>;

export interface LastError {
  kind: string;
  message: string;
  /** epoch ms */
  at: number;
  /** how many pushes in a row ended with this kind of error, when it matters (undocumented codes) */
  repeats?: number;
}

/** Something in an order's facts a person should look at (a cashier amount that differs...). */
export interface RecordedAnomaly {
  code: string;
  eventId: string;
  detail: string;
}

/** One order's item in the ledger. */
export interface LedgerItem {
  orderId: string;
  /** every recorded fact, one per eventId */
  facts: Fact[];
  /** bumped by every new fact: a push may mark the order synced only if no fact arrived meanwhile */
  version: number;
  syncState: SyncState;
  /** failed pushes in a row */
  attempts: number;
  /** epoch ms */
  nextAttemptAt: number;
  lastError?: LastError;
  /** what the Order Center last confirmed; absent until the first confirmed add/main/info */
  ack?: AckedOrder;
  /** what the last push found wrong in the facts; absent when nothing */
  anomalies?: RecordedAnomaly[];
  /** Baidu callbacks that reused a recorded key for other content, noted for a person; absent when none */
  conflicts?: RecordedAnomaly[];
  /** the user, from the newest snapshot: reconcile batches status updates per user */
  openId?: string;
  leaseOwner?: string;
  leaseUntil?: number;
  /** epoch ms the cashier was last asked about the order's payment (CONTRACT section 5c); absent: never */
  paymentCheckAskedAt?: number;
  /** how many times the cashier was asked */
  paymentChecks?: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * A row of the sync queue index: enough to pick work and to report, and nothing that changes on every
 * write (so a new fact on a pending order rewrites no index entry).
 */
export interface QueueEntry {
  orderId: string;
  syncQueue: QueueName;
  nextAttemptAt: number;
  attempts?: number;
  lastError?: LastError;
}

/**
 * How recording a fact ended. recorded: new, and the order is due at nextAttemptAt (now, or later when the
 * order is in a transient backoff: a new fact does not skip it).
 * duplicate: its eventId was recorded with the same content; nothing changed. conflict: its eventId was
 * recorded with other content (the fingerprints differ); nothing changed. A repeat says where the order's
 * sync stands, read with the fact it repeats (the caller answers with it, and need not read again).
 * owner-conflict: a new fact whose snapshot names another user than `owner`, the openId the order's
 * snapshots were recorded with (CONTRACT section 3); nothing changed.
 */
export type RecordResult =
  | { outcome: 'recorded'; nextAttemptAt: number }
  | { outcome: 'duplicate'; syncState: SyncState }
  | { outcome: 'conflict'; syncState: SyncState; recordedFingerprint: string; fingerprint: string }
  | { outcome: 'owner-conflict'; owner: string };

/** How a push ends, written together with the lease release. */
export interface PushEnd {
  syncState: SyncState;
  attempts: number;
  nextAttemptAt: number;
  lastError?: LastError;
  /** what the projection found wrong in the facts (written as they are; none removes earlier ones) */
  anomalies?: RecordedAnomaly[];
  /** what the Order Center confirmed by the push's last call: saved even when the rest is stale */
  ack?: AckedOrder;
  /**
   * When the cashier should next be asked about the order's payment (epoch ms): puts it in the
   * awaiting-check index; null takes it out (paid, closed, schedule over); absent leaves the index as it is.
   */
  paymentCheckDueAt?: number | null;
}

/** One page of orders due for a payment check, in one shard. */
export interface PaymentCheckPage {
  orderIds: string[];
  cursor?: string;
}

/** Orders the cashier's query found paid (CONTRACT section 5c), for the operator's report. */
export interface PaidByQuery {
  orderId: string;
  /** epoch ms the answer was recorded */
  at: number;
}

export interface QueuePage {
  entries: QueueEntry[];
  /** where the next page starts; absent on the last page */
  cursor?: string;
}

export interface AnomalyPage {
  orders: { orderId: string; anomalies: RecordedAnomaly[] }[];
  cursor?: string;
}

export interface QueueQuery {
  /** one shard's orders (a reconcile worker); absent: every shard, one after the other (operators) */
  shard?: number;
  /** epoch ms: only orders due by then */
  dueBy?: number;
  limit?: number;
  cursor?: string;
}

/** The ledger port, the part a push and the intake use: one order at a time. */
export interface OrderLedger {
  /**
   * Records a new fact (one conditional write; a second when its snapshot turns out superseded). An
   * eventId already recorded changes nothing: the result says whether its content was the same. Nor does
   * a snapshot naming another user than the order's (the write's own condition: no read before it).
   */
  recordFact(fact: Fact): Promise<RecordResult>;
  /** Keeps a conflicting repeat on the order for a person (once per eventId and content). */
  noteConflict(orderId: string, conflict: RecordedAnomaly & { fingerprint: string }): Promise<void>;
  get(orderId: string): Promise<LedgerItem | undefined>;
  /** Takes the order's push lease (one pusher at a time per order) and returns the item, or says why not. */
  acquireLease(orderId: string, owner: string, untilMs: number): Promise<LedgerItem | 'busy' | 'missing'>;
  /** Records what the Order Center confirmed. Fails with LeaseLostError if the lease is no longer ours. */
  saveAck(orderId: string, owner: string, ack: AckedOrder): Promise<void>;
  /**
   * Writes the end of a push and releases the lease, only if no fact arrived since `version`.
   * Returns 'stale' when one did: the order stays due, and only the lease release (and `end.ack`, which
   * Baidu did confirm) is written.
   */
  finishPush(orderId: string, owner: string, version: number, end: PushEnd): Promise<'ok' | 'stale'>;
}

/** The ledger port: the sync engine and the functions see only this (reconcile and the operators all of it). */
export interface Ledger extends OrderLedger {
  /** Orders in a queue, a page at a time: by next attempt time within each shard's key. */
  queryQueue(queue: QueueName, options?: QueueQuery): Promise<QueuePage>;
  /**
   * Orders with anomalies or conflicts recorded, a page at a time (a scan: for operators' reports, not for
   * hot paths).
   */
  listAnomalies(page?: { limit?: number; cursor?: string }): Promise<AnomalyPage>;
  /** Every order Baidu's refund audit asked about, with its recorded audit answers (a full scan, as above). */
  listRefundAudits(): Promise<{ orderId: string; audits: Fact[] }[]>;
  /** Orders in shard `shard` of the awaiting-check index, due by `dueBy` (epoch ms), earliest first. */
  queryPaymentChecks(query: {
    shard: number;
    dueBy: number;
    limit?: number;
    cursor?: string;
  }): Promise<PaymentCheckPage>;
  /**
   * Notes that the cashier was asked at `askedAt` and when to ask next (undefined: never, out of the
   * index). Only while the order is in the index: a push that took it out meanwhile (paid) wins. False then.
   */
  notePaymentCheck(orderId: string, check: { askedAt: number; nextDueAt?: number }): Promise<boolean>;
  /** Every order paid by the cashier's query (a scan, as above: for the operator's report). */
  listPaidByQuery(): Promise<PaidByQuery[]>;
  /** Puts a dead order back to pending, due now. False if it was not dead. */
  revive(orderId: string): Promise<boolean>;
}

/** The ledger could not be read or written (DynamoDB unavailable, throttled...): callers answer 503. */
export class LedgerUnavailableError extends Error {
  override readonly name = 'LedgerUnavailableError';
}

/**
 * The ledger refused the write itself (too large, a value it cannot store): unlike an outage, the same
 * write will never succeed, so retrying it only repeats what led to it.
 */
export class LedgerRefusedError extends Error {
  override readonly name: string = 'LedgerRefusedError';
}

/** The push lease expired and someone else took it: stop pushing this order. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/**
 * A merchant eventId already recorded with other content (docs/contract.md sections 3 and 6: 409, changing
 * nothing). The sender has two events under one id; the first one stays.
 */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
  constructor(
    readonly orderId: string,
    readonly eventId: string,
  ) {
    super(`eventId ${eventId} of order ${orderId} is already recorded with other content`);
  }
}
