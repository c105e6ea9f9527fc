import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Fact, OrderSnapshot } from '../events/types';
import { ORDERS_ONLY } from './reserved';
import { allKeys, DEFAULT_SYNC_SHARDS, queueKeyOf, shardKeys, shardOf } from './shard';
import {
  archiveFacts,
  decodeArchive,
  foldKey,
  fromStoredFact,
  storedFingerprint,
  toStoredFact,
  type FactEntry,
  type FirstReleaseFact,
  type HeldSnapshot,
  type StoredFact,
} from './stored-fact';
import { legacyFactFingerprint } from './fingerprint';
import {
  LeaseLostError,
  LedgerRefusedError,
  LedgerUnavailableError,
  type AckedOrder,
  type Ledger,
  type OrderLedger,
  type AnomalyPage,
  type LedgerItem,
  type PushEnd,
  type QueueEntry,
  type QueueName,
  type QueuePage,
  type QueueQuery,
  type RecordedAnomaly,
  type RecordResult,
  type SyncState,
} from './types';

/** The sharded sync queue: hash key queueShard = `<state>#<shard>`, range key nextAttemptAt. */
export const QUEUE_SHARD_INDEX = 'byQueueShard';
/**
 * The first release's queue index (hash key syncQueue = `<state>`): read only, for items written before
 * the upgrade; every write moves an item to the sharded index. Dropped from serverless.yml a release later.
 */
export const LEGACY_QUEUE_INDEX = 'bySyncQueue';
/**
 * The awaiting-check index (CONTRACT section 5c): hash key checkShard = `check#<shard>` (shardOf, as the
 * sync queue), range key checkDueAt (epoch ms). Sparse: only orders the cashier is still to be asked about
 * carry checkShard, so finding them costs what the unpaid orders cost, not what the table holds.
 */
export const PAYMENT_CHECK_INDEX = 'byPaymentCheck';
const checkKey = (shard: number) => `check#${shard}`;
/** Facts live in top-level attributes named f#<eventId>: one conditional SET records one, no map to create first. */
const FACT_PREFIX = 'f#';
/**
 * The order's latest snapshot (in fold order) sits once on the item, in `snapshot`, with the fold key and
 * eventId of the fact that brought it; the facts themselves keep only its amount. A newer one replaces it
 * in the same write that records its fact, so superseded snapshots never accumulate.
 */
const SNAPSHOT = { order: 'snapshot', key: 'snapshotKey', eventId: 'snapshotEventId' } as const;
/**
 * Facts arrive whole in f#<eventId>; once `liveFacts` of them have, the next record moves them into
 * `archive` (deflated JSON, a few dozen bytes a fact), leaving each f#<eventId> its fingerprint only, so
 * that the item, and every write to it, grows by little more than an eventId and a hash per event.
 */
const ARCHIVE = 'archive';
const LIVE_FACTS = 'liveFacts';
export const DEFAULT_ARCHIVE_EVERY = 32;
/** Facts archived by one write at most, so that its expression stays within DynamoDB's 4 KB. */
const ARCHIVE_AT_ONCE = 200;

export interface DynamoLedgerOptions {
  client: DynamoDBClient;
  tableName: string;
  /** SYNC_SHARDS; default 16 */
  shards?: number;
  /** epoch ms */
  now?: () => number;
  /** how many whole facts the item holds before they are archived */
  archiveEvery?: number;
}

/** The order is too big for one DynamoDB item (400 KB): the event cannot be recorded, retrying will not help. */
export class OrderTooLargeError extends LedgerRefusedError {
  override readonly name = 'OrderTooLargeError';
}

/**
 * A value the SDK cannot marshal (a number beyond Number.MAX_SAFE_INTEGER...) fails before any request is
 * sent, as a plain Error: no service error name, no HTTP metadata, no network error code.
 */
function isMarshallingError(err: Error): boolean {
  return err.name === 'Error' && !('$metadata' in err) && !('code' in err);
}

function isConditionFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

function wrap(err: unknown, what: string): Error {
  if (err instanceof Error && err.name === 'ValidationException' && /size/i.test(err.message)) {
    return new OrderTooLargeError(`${what}: the order's ledger item would exceed DynamoDB's item size limit`);
  }
  if (err instanceof Error && (err.name === 'ValidationException' || isMarshallingError(err))) {
    return new LedgerRefusedError(`${what}: ${err.name}: ${err.message}`, { cause: err });
  }
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new LedgerUnavailableError(`${what}: ${reason}`, { cause: err });
}

function heldSnapshot(raw: Record<string, unknown>): HeldSnapshot | undefined {
  return raw[SNAPSHOT.order] === undefined
    ? undefined
    : { eventId: raw[SNAPSHOT.eventId] as string, order: raw[SNAPSHOT.order] as OrderSnapshot };
}

/** The facts held whole on the item (not archived yet), by eventId. */
function liveEntries(raw: Record<string, unknown>): Map<string, StoredFact | FirstReleaseFact> {
  const live = new Map<string, StoredFact | FirstReleaseFact>();
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith(FACT_PREFIX) && typeof value === 'object' && value !== null) {
      live.set(key.slice(FACT_PREFIX.length), value as StoredFact | FirstReleaseFact);
    }
  }
  return live;
}

function factsOf(raw: Record<string, unknown>): Fact[] {
  const orderId = raw.orderId as string;
  const held = heldSnapshot(raw);
  const facts: Fact[] = [];
  for (const [eventId, entry] of liveEntries(raw)) facts.push(fromStoredFact(orderId, eventId, entry, held));
  for (const [eventId, entry] of decodeArchive(raw[ARCHIVE] as Uint8Array | undefined)) {
    facts.push(fromStoredFact(orderId, eventId, entry, held));
  }
  return facts;
}

function toItem(raw: Record<string, unknown>): LedgerItem {
  const orderId = raw.orderId as string;
  const facts = factsOf(raw);
  return {
    orderId,
    facts,
    version: Number(raw.version ?? 0),
    syncState: (raw.syncState as LedgerItem['syncState']) ?? 'pending',
    attempts: Number(raw.attempts ?? 0),
    nextAttemptAt: Number(raw.nextAttemptAt ?? 0),
    lastError: raw.lastError as LedgerItem['lastError'],
    anomalies: raw.anomalies as LedgerItem['anomalies'],
    conflicts: raw.conflicts as LedgerItem['conflicts'],
    ack: raw.ack as AckedOrder | undefined,
    openId: raw.openId as string | undefined,
    leaseOwner: raw.leaseOwner as string | undefined,
    leaseUntil: raw.leaseUntil === undefined ? undefined : Number(raw.leaseUntil),
    paymentCheckAskedAt: raw.paymentCheckAskedAt === undefined ? undefined : Number(raw.paymentCheckAskedAt),
    paymentChecks: raw.paymentChecks === undefined ? undefined : Number(raw.paymentChecks),
    createdAt: Number(raw.createdAt ?? 0),
    updatedAt: Number(raw.updatedAt ?? 0),
  };
}

/** Where a queue page stopped: the key's place in the list of keys, and DynamoDB's own position in it. */
interface QueueCursor {
  k: number;
  e?: Record<string, unknown>;
}

/** A cursor that is not one of ours: the caller passed something else (operators type them). */
export class BadCursorError extends Error {
  override readonly name = 'BadCursorError';
}

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, valid: (value: unknown) => value is T): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError('cursor is not one this service returned');
  }
  if (!valid(parsed)) throw new BadCursorError('cursor is not one this service returned');
  return parsed;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isQueueCursor = (value: unknown): value is QueueCursor =>
  isRecord(value) &&
  Number.isInteger(value.k) &&
  (value.k as number) >= 0 &&
  (value.e === undefined || isRecord(value.e));

/** The state part of a queue key (`pending#3` -> pending; a legacy `pending` as it is). */
function stateOf(key: unknown): QueueName {
  return String(key).split('#')[0] as QueueName;
}

/** What both parts of the ledger work with: the document client, the table and its settings, the write. */
interface LedgerContext {
  doc: DynamoDBDocumentClient;
  table: string;
  now: () => number;
  archiveEvery: number;
  shards: number;
  keyOf(queue: QueueName, orderId: string): string;
  update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Record<string, unknown> | undefined>;
}

function ledgerContext(options: DynamoLedgerOptions): LedgerContext {
  const doc = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const table = options.tableName;
  const shards = options.shards ?? DEFAULT_SYNC_SHARDS;
  return {
    doc,
    table,
    now: options.now ?? (() => Date.now()),
    archiveEvery: options.archiveEvery ?? DEFAULT_ARCHIVE_EVERY,
    shards,
    keyOf: (queue, orderId) => queueKeyOf(queue, orderId, shards),
    async update(input) {
      const out = await doc.send(new UpdateCommand({ TableName: table, ...input }));
      return out.Attributes;
    },
  };
}

/**
 * The ledger on DynamoDB: one item per order, every write a single conditional UpdateItem. reconcile and
 * the operators' commands use all of it.
 */
export function createDynamoLedger(options: DynamoLedgerOptions): Ledger {
  const context = ledgerContext(options);
  return { ...orderLedger(context), ...ledgerQueries(context) };
}

/**
 * The part of the ledger a push and the intake use, one order at a time: what the event functions are
 * wired with (lib/service), so their bundles hold no queue, report or payment-check query (issue 21).
 */
export function createDynamoOrderLedger(options: DynamoLedgerOptions): OrderLedger {
  return orderLedger(ledgerContext(options));
}

function orderLedger(context: LedgerContext): OrderLedger {
  const { doc, table, now, archiveEvery, shards, keyOf, update } = context;

  async function get(orderId: string): Promise<LedgerItem | undefined> {
    try {
      const out = await doc.send(
        new GetCommand({ TableName: table, Key: { orderId }, ConsistentRead: true }),
      );
      return out.Item ? toItem(out.Item) : undefined;
    } catch (err) {
      throw wrap(err, `reading order ${orderId}`);
    }
  }

  /**
   * Moves the facts held whole into the archive, in one write conditional on the version read: if a fact
   * arrived meanwhile, nothing is written, and a later record archives them. The fact is recorded either
   * way; archiving only keeps the item small.
   */
  async function archive(orderId: string): Promise<void> {
    const out = await doc.send(new GetCommand({ TableName: table, Key: { orderId }, ConsistentRead: true }));
    const raw = out.Item;
    if (!raw) return;
    const all = liveEntries(raw);
    const live = new Map([...all].slice(0, ARCHIVE_AT_ONCE));
    const held = heldSnapshot(raw);
    const archived = archiveFacts(
      factsOf(raw),
      live,
      decodeArchive(raw[ARCHIVE] as Uint8Array | undefined),
      held,
    );
    const names: Record<string, string> = { '#a': ARCHIVE, '#n': LIVE_FACTS };
    const values: Record<string, unknown> = {
      ':archive': archived.archive,
      ':left': all.size - live.size,
      ':version': raw.version,
    };
    const set = ['#a = :archive', '#n = :left'];
    [...archived.fingerprints].forEach(([eventId, fingerprint], i) => {
      names[`#f${i}`] = `${FACT_PREFIX}${eventId}`;
      values[`:f${i}`] = fingerprint;
      set.push(`#f${i} = :f${i}`);
    });
    if (archived.held) {
      Object.assign(names, { '#s': SNAPSHOT.order, '#sk': SNAPSHOT.key, '#se': SNAPSHOT.eventId });
      Object.assign(values, {
        ':snapshot': archived.held.order,
        ':key': archived.held.key,
        ':eventId': archived.held.eventId,
      });
      set.push('#s = :snapshot', '#sk = :key', '#se = :eventId');
    }
    try {
      await update({
        Key: { orderId },
        UpdateExpression: `SET ${set.join(', ')}`,
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  return {
    get,

    async recordFact(fact) {
      const stored = toStoredFact(fact);
      const names: Record<string, string> = {
        '#f': `${FACT_PREFIX}${fact.eventId}`,
        '#q': 'queueShard',
        '#legacy': 'syncQueue',
      };
      const at = now();

      /**
       * One conditional write of the fact, holding its snapshot when `latest`. Returns how many facts the
       * item now holds whole and when the order is due, or undefined if the condition failed.
       *
       * A new fact makes the order due, but never sooner than a backoff it is in (nextAttemptAt and
       * attempts are kept when set: a synced or failed order's nextAttemptAt is already past). An order
       * that had given up (failed or dead) starts a fresh count: the new fact is a new reason to push, and
       * a dead order's exhausted count would kill it again at its first transient failure. The index
       * entry (`<state>#<shard>`, nextAttemptAt) changes only when the order enters the queue: nothing in
       * it changes on every write, so a busy order does not rewrite its index partition.
       */
      async function write(
        latest: OrderSnapshot | undefined,
      ): Promise<{ live: number; nextAttemptAt: number } | undefined> {
        const values: Record<string, unknown> = {
          ':fact': stored,
          ':pending': 'pending',
          ':queueKey': keyOf('pending', fact.orderId),
          ':at': at,
          ':zero': 0,
          ':one': 1,
        };
        const set = [
          '#f = :fact',
          'syncState = :pending',
          '#q = :queueKey',
          'nextAttemptAt = if_not_exists(nextAttemptAt, :at)',
          'attempts = if_not_exists(attempts, :zero)',
          'updatedAt = :at',
          'createdAt = if_not_exists(createdAt, :at)',
        ];
        let condition = 'attribute_not_exists(#f)';
        if (fact.order) {
          set.push('openId = :openId');
          values[':openId'] = fact.order.openId;
          // The order's owner is fixed by its first snapshot (CONTRACT section 3): checked by the write itself,
          // so two snapshots of a new order racing with two users cannot both be recorded.
          condition += ' AND (attribute_not_exists(openId) OR openId = :openId)';
        }
        // Marks the orders Baidu's refund audit asked about, so the operator's report can find them.
        if (fact.kind === 'refund-audit') set.push('refundAuditAt = :at');
        // Marks the orders the cashier's query found paid, for the operator's report (CONTRACT section 5c).
        if (fact.cashier?.via === 'query') set.push('paidByQueryAt = :at');
        const writeNames = { ...names };
        if (latest) {
          Object.assign(writeNames, { '#s': SNAPSHOT.order, '#sk': SNAPSHOT.key, '#se': SNAPSHOT.eventId });
          set.push('#s = :snapshot', '#sk = :key', '#se = :eventId');
          Object.assign(values, { ':snapshot': latest, ':key': foldKey(fact), ':eventId': fact.eventId });
          condition += ' AND (attribute_not_exists(#sk) OR #sk < :key)';
        }
        try {
          const attributes = await update({
            Key: { orderId: fact.orderId },
            UpdateExpression: `SET ${set.join(', ')} REMOVE lastError, #legacy ADD version :one, ${LIVE_FACTS} :one`,
            ConditionExpression: condition,
            ExpressionAttributeNames: writeNames,
            ExpressionAttributeValues: values,
            ReturnValues: 'UPDATED_OLD',
          });
          const live = Number(attributes?.[LIVE_FACTS] ?? 0) + 1;
          const was = attributes?.syncState as SyncState | undefined;
          if (was === 'failed' || was === 'dead') {
            await freshCount(Number(attributes?.version ?? 0) + 1);
            return { live, nextAttemptAt: at };
          }
          return { live, nextAttemptAt: Number(attributes?.nextAttemptAt ?? at) };
        } catch (err) {
          if (isConditionFailure(err)) return undefined;
          throw err;
        }
      }

      /**
       * The order had given up and this fact brought it back: no attempts spent, due now. Only if nothing
       * moved since (same version, not leased); else whoever moved it decided its count.
       */
      async function freshCount(version: number): Promise<void> {
        try {
          await update({
            Key: { orderId: fact.orderId },
            UpdateExpression: 'SET attempts = :zero, nextAttemptAt = :at',
            ConditionExpression:
              'version = :version AND syncState = :pending AND attribute_not_exists(leaseOwner)',
            ExpressionAttributeValues: { ':zero': 0, ':at': at, ':version': version, ':pending': 'pending' },
          });
        } catch (err) {
          if (!isConditionFailure(err)) throw err;
        }
      }

      /** Recorded: the order is due; when enough facts are held whole, they go to the archive. */
      async function recorded(written: { live: number; nextAttemptAt: number }): Promise<RecordResult> {
        // Housekeeping only: if it fails, the fact is recorded all the same, and the next record archives.
        if (written.live >= archiveEvery) await archive(fact.orderId).catch(() => undefined);
        return { outcome: 'recorded', nextAttemptAt: written.nextAttemptAt };
      }

      /**
       * Why a write was refused. The eventId is taken: the same content is a duplicate, other content a
       * conflict (decided first, so an exact re-delivery is never refused). Else a snapshot naming another
       * user than the order's is an owner conflict.
       */
      async function repeated(): Promise<RecordResult | undefined> {
        const out = await doc.send(
          new GetCommand({
            TableName: table,
            Key: { orderId: fact.orderId },
            ProjectionExpression: '#f, syncState, openId',
            ExpressionAttributeNames: { '#f': names['#f'] },
            ConsistentRead: true,
          }),
        );
        const entry = out.Item?.[names['#f']] as FactEntry | undefined;
        const owner = out.Item?.openId as string | undefined;
        if (entry === undefined) {
          return fact.order && owner !== undefined && owner !== fact.order.openId
            ? { outcome: 'owner-conflict', owner }
            : undefined;
        }
        const recordedFingerprint = storedFingerprint(entry);
        const syncState = (out.Item?.syncState as SyncState | undefined) ?? 'pending';
        const same =
          recordedFingerprint === stored.fingerprint || recordedFingerprint === legacyFactFingerprint(fact);
        return same
          ? { outcome: 'duplicate', syncState }
          : { outcome: 'conflict', syncState, recordedFingerprint, fingerprint: stored.fingerprint };
      }

      try {
        // A snapshot goes on the item if it is the latest; else (a later one is held) only its amount stays.
        const asLatest = fact.order ? await write(fact.order) : undefined;
        if (asLatest !== undefined) return await recorded(asLatest);
        const earlier = fact.order ? await repeated() : undefined;
        if (earlier) return earlier;
        const plain = await write(undefined);
        if (plain !== undefined) return await recorded(plain);
        const found = await repeated();
        if (found) return found;
        throw new Error(`the write of ${fact.eventId} was refused, yet the fact is not on the order`);
      } catch (err) {
        throw wrap(err, `recording ${fact.eventId} for order ${fact.orderId}`);
      }
    },

    async noteConflict(orderId, conflict) {
      const { fingerprint, ...anomaly } = conflict;
      const key = `${conflict.eventId} ${fingerprint}`;
      try {
        await update({
          Key: { orderId },
          UpdateExpression:
            'SET conflicts = list_append(if_not_exists(conflicts, :none), :note), updatedAt = :at ADD conflictKeys :keys',
          ConditionExpression: 'attribute_exists(orderId) AND NOT contains(conflictKeys, :key)',
          ExpressionAttributeValues: {
            ':none': [],
            ':note': [anomaly],
            ':keys': new Set([key]),
            ':key': key,
            ':at': now(),
          },
        });
      } catch (err) {
        // Noted already (Baidu retries what it sent), or no such order: nothing to add.
        if (!isConditionFailure(err)) throw wrap(err, `noting a conflict on order ${orderId}`);
      }
    },

    async acquireLease(orderId, owner, untilMs) {
      try {
        const attributes = await update({
          Key: { orderId },
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression:
            'attribute_exists(orderId) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner)',
          ExpressionAttributeValues: { ':owner': owner, ':until': untilMs, ':now': now() },
          ReturnValues: 'ALL_NEW',
        });
        return attributes ? toItem(attributes) : 'missing';
      } catch (err) {
        if (!isConditionFailure(err)) throw wrap(err, `leasing order ${orderId}`);
        const existing = await get(orderId);
        return existing ? 'busy' : 'missing';
      }
    },

    async saveAck(orderId, owner, ack) {
      try {
        await update({
          Key: { orderId },
          UpdateExpression: 'SET ack = :ack, updatedAt = :at',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':ack': ack, ':owner': owner, ':at': now() },
        });
      } catch (err) {
        if (isConditionFailure(err)) throw new LeaseLostError(`lost the push lease on order ${orderId}`);
        throw wrap(err, `saving what the Order Center confirmed for order ${orderId}`);
      }
    },

    async finishPush(orderId, owner, version, end: PushEnd) {
      const values: Record<string, unknown> = {
        ':state': end.syncState,
        ':attempts': end.attempts,
        ':next': end.nextAttemptAt,
        ':owner': owner,
        ':version': version,
        ':at': now(),
      };
      const set = ['syncState = :state', 'attempts = :attempts', 'nextAttemptAt = :next', 'updatedAt = :at'];
      const remove = ['leaseOwner', 'leaseUntil', '#legacy'];
      if (end.syncState === 'synced') remove.push('#q');
      else {
        set.push('#q = :key');
        values[':key'] = keyOf(end.syncState, orderId);
      }
      if (end.lastError) {
        set.push('lastError = :error');
        values[':error'] = end.lastError;
      } else remove.push('lastError');
      if (end.ack) {
        set.push('ack = :ack');
        values[':ack'] = end.ack;
      }
      if (end.anomalies && end.anomalies.length > 0) {
        set.push('anomalies = :anomalies');
        values[':anomalies'] = end.anomalies;
      } else remove.push('anomalies');
      if (typeof end.paymentCheckDueAt === 'number') {
        set.push('checkShard = :checkShard', 'checkDueAt = :checkDueAt');
        values[':checkShard'] = checkKey(shardOf(orderId, shards));
        values[':checkDueAt'] = end.paymentCheckDueAt;
      } else if (end.paymentCheckDueAt === null) remove.push('checkShard', 'checkDueAt');
      try {
        await update({
          Key: { orderId },
          UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
          ConditionExpression: 'leaseOwner = :owner AND version = :version',
          ExpressionAttributeNames: { '#q': 'queueShard', '#legacy': 'syncQueue' },
          ExpressionAttributeValues: values,
        });
        return 'ok';
      } catch (err) {
        if (!isConditionFailure(err)) throw wrap(err, `finishing the push of order ${orderId}`);
      }
      // A fact arrived during the push (it set the order pending and due), or the lease was lost.
      try {
        await update({
          Key: { orderId },
          UpdateExpression: `${end.ack ? 'SET ack = :ack ' : ''}REMOVE leaseOwner, leaseUntil`,
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: end.ack ? { ':owner': owner, ':ack': end.ack } : { ':owner': owner },
        });
      } catch (err) {
        if (!isConditionFailure(err)) throw wrap(err, `releasing the push lease of order ${orderId}`);
      }
      return 'stale';
    },
  };
}

/** reconcile's and the operators' part of the ledger: queues, reports, payment checks, revival. */
function ledgerQueries(context: LedgerContext): Omit<Ledger, keyof OrderLedger> {
  const { doc, table, now, shards, keyOf, update } = context;

  /**
   * One page of the items the filter keeps, orders only (never a budget counter). Scan's Limit counts
   * items read, not items matched: it reads on until the page has something or the table ends.
   */
  async function scanPage(
    filter: string,
    what: string,
    page: { projection?: string; limit?: number; cursor?: string },
  ): Promise<{ rows: Record<string, unknown>[]; cursor?: string }> {
    const rows: Record<string, unknown>[] = [];
    let start = page.cursor ? decodeCursor(page.cursor, isRecord) : undefined;
    try {
      do {
        const out = await doc.send(
          new ScanCommand({
            TableName: table,
            FilterExpression: `(${filter}) AND ${ORDERS_ONLY.filter}`,
            ExpressionAttributeValues: { ...ORDERS_ONLY.values },
            ProjectionExpression: page.projection,
            Limit: page.limit,
            ExclusiveStartKey: start,
          }),
        );
        rows.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start && (page.limit === undefined || rows.length === 0));
    } catch (err) {
      throw wrap(err, what);
    }
    return { rows, cursor: start ? encodeCursor(start) : undefined };
  }

  return {
    async queryQueue(queue: QueueName, query: QueueQuery = {}): Promise<QueuePage> {
      const keys = query.shard === undefined ? allKeys(queue, shards) : shardKeys(queue, query.shard, shards);
      const limit = query.limit ?? 100;
      let at: QueueCursor = query.cursor ? decodeCursor(query.cursor, isQueueCursor) : { k: 0 };
      const entries: QueueEntry[] = [];
      try {
        // One key after the other, until the page is full or the keys run out.
        for (let key = keys[at.k]; key && entries.length < limit; key = keys[at.k]) {
          const attribute = key.index === 'sharded' ? 'queueShard' : 'syncQueue';
          const values: Record<string, unknown> = { ':q': key.value };
          let condition = '#q = :q';
          if (query.dueBy !== undefined) {
            condition += ' AND nextAttemptAt <= :due';
            values[':due'] = query.dueBy;
          }
          const out = await doc.send(
            new QueryCommand({
              TableName: table,
              IndexName: key.index === 'sharded' ? QUEUE_SHARD_INDEX : LEGACY_QUEUE_INDEX,
              KeyConditionExpression: condition,
              ExpressionAttributeNames: { '#q': attribute },
              ExpressionAttributeValues: values,
              Limit: limit - entries.length,
              ExclusiveStartKey: at.e,
            }),
          );
          for (const raw of out.Items ?? []) {
            entries.push({
              orderId: raw.orderId as string,
              syncQueue: stateOf(raw[attribute]),
              nextAttemptAt: Number(raw.nextAttemptAt),
              attempts: raw.attempts === undefined ? undefined : Number(raw.attempts),
              lastError: raw.lastError as QueueEntry['lastError'],
            });
          }
          at = out.LastEvaluatedKey ? { k: at.k, e: out.LastEvaluatedKey } : { k: at.k + 1 };
        }
      } catch (err) {
        throw wrap(err, `querying the ${queue} queue`);
      }
      return { entries, cursor: at.k < keys.length ? encodeCursor(at) : undefined };
    },

    async listAnomalies(page = {}) {
      const found = await scanPage(
        'attribute_exists(anomalies) OR attribute_exists(conflicts)',
        'listing orders with anomalies',
        { projection: 'orderId, anomalies, conflicts', limit: page.limit ?? 100, cursor: page.cursor },
      );
      const orders: AnomalyPage['orders'] = found.rows.map((raw) => ({
        orderId: raw.orderId as string,
        anomalies: [
          ...((raw.anomalies as RecordedAnomaly[] | undefined) ?? []),
          ...((raw.conflicts as RecordedAnomaly[] | undefined) ?? []),
        ],
      }));
      return { orders, cursor: found.cursor };
    },

    async listRefundAudits() {
      const { rows } = await scanPage(
        'attribute_exists(refundAuditAt)',
        'listing orders with refund audits',
        {},
      );
      return rows.map((raw) => {
        const item = toItem(raw);
        return { orderId: item.orderId, audits: item.facts.filter((fact) => fact.kind === 'refund-audit') };
      });
    },

    async queryPaymentChecks(query) {
      try {
        const out = await doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: PAYMENT_CHECK_INDEX,
            KeyConditionExpression: 'checkShard = :shard AND checkDueAt <= :due',
            ExpressionAttributeValues: { ':shard': checkKey(query.shard), ':due': query.dueBy },
            Limit: query.limit ?? 100,
            ExclusiveStartKey: query.cursor ? decodeCursor(query.cursor, isRecord) : undefined,
          }),
        );
        return {
          orderIds: (out.Items ?? []).map((raw) => raw.orderId as string),
          cursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : undefined,
        };
      } catch (err) {
        throw wrap(err, `querying the payment checks of shard ${query.shard}`);
      }
    },

    async notePaymentCheck(orderId, check) {
      const values: Record<string, unknown> = { ':asked': check.askedAt, ':one': 1 };
      let expression = 'SET paymentCheckAskedAt = :asked';
      if (check.nextDueAt === undefined) expression += ' REMOVE checkShard, checkDueAt';
      else {
        expression += ', checkDueAt = :next';
        values[':next'] = check.nextDueAt;
      }
      try {
        await update({
          Key: { orderId },
          UpdateExpression: `${expression} ADD paymentChecks :one`,
          ConditionExpression: 'attribute_exists(checkShard)',
          ExpressionAttributeValues: values,
        });
        return true;
      } catch (err) {
        if (isConditionFailure(err)) return false;
        throw wrap(err, `noting the payment check of order ${orderId}`);
      }
    },

    async listPaidByQuery() {
      const { rows } = await scanPage(
        'attribute_exists(paidByQueryAt)',
        'listing orders paid by the cashier query',
        { projection: 'orderId, paidByQueryAt' },
      );
      return rows.map((raw) => ({ orderId: raw.orderId as string, at: Number(raw.paidByQueryAt) }));
    },

    async revive(orderId) {
      try {
        await update({
          Key: { orderId },
          UpdateExpression:
            'SET syncState = :pending, #q = :key, attempts = :zero, nextAttemptAt = :at, updatedAt = :at REMOVE #legacy',
          ConditionExpression: 'syncState = :dead',
          ExpressionAttributeNames: { '#q': 'queueShard', '#legacy': 'syncQueue' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':key': keyOf('pending', orderId),
            ':dead': 'dead',
            ':zero': 0,
            ':at': now(),
          },
        });
        return true;
      } catch (err) {
        if (isConditionFailure(err)) return false;
        throw wrap(err, `reviving order ${orderId}`);
      }
    },
  };
}
