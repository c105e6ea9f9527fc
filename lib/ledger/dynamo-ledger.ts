import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Fact } from '../events/types';
import type { OrderData } from '../order-center/types';
import { allKeys, DEFAULT_SYNC_SHARDS, queueKeyOf, shardKeys } from './shard';
import {
  LeaseLostError,
  LedgerUnavailableError,
  type Ledger,
  type AnomalyPage,
  type LedgerItem,
  type PushEnd,
  type QueueEntry,
  type QueueName,
  type QueuePage,
  type QueueQuery,
  type RecordedAnomaly,
  type RecordResult,
} from './types';

/** The sharded sync queue: hash key queueShard = `<state>#<shard>`, range key nextAttemptAt. */
export const QUEUE_SHARD_INDEX = 'byQueueShard';
/**
 * The first release's queue index (hash key syncQueue = `<state>`): read only, for items written before
 * the upgrade; every write moves an item to the sharded index. Dropped from serverless.yml a release later.
 */
export const LEGACY_QUEUE_INDEX = 'bySyncQueue';
/** Facts live in top-level attributes named f#<eventId>: one conditional SET records one, no map to create first. */
const FACT_PREFIX = 'f#';

export interface DynamoLedgerOptions {
  client: DynamoDBClient;
  tableName: string;
  /** SYNC_SHARDS; default 16 */
  shards?: number;
  /** epoch ms */
  now?: () => number;
}

/** The order is too big for one DynamoDB item (400 KB): the event cannot be recorded, retrying will not help. */
export class OrderTooLargeError extends Error {
  override readonly name = 'OrderTooLargeError';
}

function isConditionFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

function wrap(err: unknown, what: string): Error {
  if (err instanceof Error && err.name === 'ValidationException' && /size/i.test(err.message)) {
    return new OrderTooLargeError(`${what}: the order's ledger item would exceed DynamoDB's item size limit`);
  }
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new LedgerUnavailableError(`${what}: ${reason}`, { cause: err });
}

function toItem(raw: Record<string, unknown>): LedgerItem {
  const facts: Fact[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith(FACT_PREFIX)) facts.push(value as Fact);
  }
  return {
    orderId: raw.orderId as string,
    facts,
    version: Number(raw.version ?? 0),
    syncState: (raw.syncState as LedgerItem['syncState']) ?? 'pending',
    attempts: Number(raw.attempts ?? 0),
    nextAttemptAt: Number(raw.nextAttemptAt ?? 0),
    lastError: raw.lastError as LedgerItem['lastError'],
    anomalies: raw.anomalies as LedgerItem['anomalies'],
    ack: raw.ack as OrderData | undefined,
    openId: raw.openId as string | undefined,
    leaseOwner: raw.leaseOwner as string | undefined,
    leaseUntil: raw.leaseUntil === undefined ? undefined : Number(raw.leaseUntil),
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

/** The ledger on DynamoDB: one item per order, every write a single conditional UpdateItem. */
export function createDynamoLedger(options: DynamoLedgerOptions): Ledger {
  const doc = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const table = options.tableName;
  const now = options.now ?? (() => Date.now());
  const shards = options.shards ?? DEFAULT_SYNC_SHARDS;
  const keyOf = (queue: QueueName, orderId: string) => queueKeyOf(queue, orderId, shards);

  async function update(
    input: Omit<UpdateCommandInput, 'TableName'>,
  ): Promise<Record<string, unknown> | undefined> {
    const out = await doc.send(new UpdateCommand({ TableName: table, ...input }));
    return out.Attributes;
  }

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

  return {
    get,

    async recordFact(fact) {
      const at = now();
      const names: Record<string, string> = {
        '#f': `${FACT_PREFIX}${fact.eventId}`,
        '#q': 'queueShard',
        '#legacy': 'syncQueue',
      };
      const values: Record<string, unknown> = {
        ':fact': fact,
        ':pending': 'pending',
        ':key': keyOf('pending', fact.orderId),
        ':at': at,
        ':zero': 0,
        ':one': 1,
      };
      // A new fact makes the order due, but never sooner than a backoff it is in (nextAttemptAt and
      // attempts are kept when set: a synced or failed order's nextAttemptAt is already past). The
      // index entry changes only when the order enters the queue: nothing in it changes on every write.
      let set =
        'SET #f = :fact, syncState = :pending, #q = :key, nextAttemptAt = if_not_exists(nextAttemptAt, :at), ' +
        'attempts = if_not_exists(attempts, :zero), updatedAt = :at, createdAt = if_not_exists(createdAt, :at)';
      if (fact.order) {
        set += ', openId = :openId';
        values[':openId'] = fact.order.openId;
      }
      // Marks the orders Baidu's refund audit asked about, so the operator's report can find them.
      if (fact.kind === 'refund-audit') set += ', refundAuditAt = :at';
      try {
        const attributes = await update({
          Key: { orderId: fact.orderId },
          UpdateExpression: `${set} REMOVE lastError, #legacy ADD version :one`,
          ConditionExpression: 'attribute_not_exists(#f)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        });
        return { duplicate: false, item: attributes ? toItem(attributes) : undefined } satisfies RecordResult;
      } catch (err) {
        if (isConditionFailure(err)) return { duplicate: true };
        throw wrap(err, `recording ${fact.eventId} for order ${fact.orderId}`);
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
      const limit = page.limit ?? 100;
      let start = page.cursor ? decodeCursor(page.cursor, isRecord) : undefined;
      const orders: AnomalyPage['orders'] = [];
      try {
        // Scan's Limit counts items read, not items matched: read on until the page has something or ends.
        do {
          const out = await doc.send(
            new ScanCommand({
              TableName: table,
              FilterExpression: 'attribute_exists(anomalies)',
              ProjectionExpression: 'orderId, anomalies',
              Limit: limit,
              ExclusiveStartKey: start,
            }),
          );
          for (const raw of out.Items ?? []) {
            orders.push({ orderId: raw.orderId as string, anomalies: raw.anomalies as RecordedAnomaly[] });
          }
          start = out.LastEvaluatedKey;
        } while (start && orders.length === 0);
      } catch (err) {
        throw wrap(err, 'listing orders with anomalies');
      }
      return { orders, cursor: start ? encodeCursor(start) : undefined };
    },

    async listRefundAudits() {
      const found: { orderId: string; audits: Fact[] }[] = [];
      let start: Record<string, unknown> | undefined;
      try {
        do {
          const out = await doc.send(
            new ScanCommand({
              TableName: table,
              FilterExpression: 'attribute_exists(refundAuditAt)',
              ExclusiveStartKey: start,
            }),
          );
          for (const raw of out.Items ?? []) {
            const item = toItem(raw);
            const audits = item.facts.filter((fact) => fact.kind === 'refund-audit');
            found.push({ orderId: item.orderId, audits });
          }
          start = out.LastEvaluatedKey;
        } while (start);
      } catch (err) {
        throw wrap(err, 'listing orders with refund audits');
      }
      return found;
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
