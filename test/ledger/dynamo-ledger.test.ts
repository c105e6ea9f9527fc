import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoLedger } from '../../lib/ledger/dynamo-ledger';
import { shardOf } from '../../lib/ledger/shard';
import { LeaseLostError, LedgerUnavailableError, type Ledger } from '../../lib/ledger/types';
import { createLedgerTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamo';
import { fact, snapshot, uniqueId } from '../helpers/facts';

let dynamo: LocalDynamo;
let ledger: Ledger;
let clock: number;
const tableName = uniqueId('ledger');

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await createLedgerTable(dynamo.client, tableName);
  ledger = createDynamoLedger({ client: dynamo.client, tableName, now: () => clock });
});

afterAll(async () => {
  await dynamo.stop();
});

beforeEach(() => {
  clock = 1_764_316_800_000;
});

describe('the table', () => {
  it('is created from the serverless.yml declaration: pay per request, with the sparse queue index', async () => {
    // Act
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: tableName }));

    // Assess
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'orderId', KeyType: 'HASH' }]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const indexes = Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, i.Projection]);
    expect(indexes).toContainEqual([
      'byQueueShard',
      [
        { AttributeName: 'queueShard', KeyType: 'HASH' },
        { AttributeName: 'nextAttemptAt', KeyType: 'RANGE' },
      ],
      { ProjectionType: 'INCLUDE', NonKeyAttributes: ['attempts', 'lastError'] },
    ]);
    // The first release's index stays declared (read only) until a later release drops it.
    expect(indexes?.map(([name]) => name)).toEqual(['byQueueShard', 'bySyncQueue']);
  });
});

describe('recordFact', () => {
  it('records a new fact: the order becomes pending and due now', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const placed = fact({ orderId, order: snapshot() });

    // Act
    const result = await ledger.recordFact(placed);

    // Assess
    expect(result.duplicate).toBe(false);
    expect(result.item).toMatchObject({
      orderId,
      facts: [placed],
      version: 1,
      syncState: 'pending',
      nextAttemptAt: clock,
      attempts: 0,
      openId: 'open-user-1',
    });
  });

  it('acknowledges a repeated eventId without applying it again', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const placed = fact({ orderId, order: snapshot() });
    await ledger.recordFact(placed);

    // Act
    const again = await ledger.recordFact({ ...placed, occurredAt: placed.occurredAt + 99 });

    // Assess
    expect(again).toEqual({ duplicate: true });
    const item = await ledger.get(orderId);
    expect(item?.facts).toEqual([placed]);
    expect(item?.version).toBe(1);
  });

  it('keeps every fact of 50 concurrent writers of one order', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const facts = Array.from({ length: 50 }, (_, i) =>
      fact({ orderId, kind: i === 0 ? 'placed' : 'shipped' }),
    );

    // Act
    const results = await Promise.all(facts.map((f) => ledger.recordFact(f)));

    // Assess
    expect(results.every((r) => !r.duplicate)).toBe(true);
    const item = await ledger.get(orderId);
    expect(item?.facts.map((f) => f.eventId).sort()).toEqual(facts.map((f) => f.eventId).sort());
    expect(item?.version).toBe(50);
  });

  it('records the same eventId sent 50 times at once exactly once', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const placed = fact({ orderId, order: snapshot() });

    // Act
    const results = await Promise.all(Array.from({ length: 50 }, () => ledger.recordFact(placed)));

    // Assess
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const item = await ledger.get(orderId);
    expect(item?.facts).toEqual([placed]);
    expect(item?.version).toBe(1);
  });

  it('puts a failed or dead order back in the pending queue when a new fact comes', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const first = await ledger.recordFact(fact({ orderId }));
    await ledger.acquireLease(orderId, 'me', clock + 1000);
    await ledger.finishPush(orderId, 'me', first.item!.version, {
      syncState: 'failed',
      attempts: 1,
      nextAttemptAt: clock,
      lastError: { kind: 'permanent', message: 'errno 2002', at: clock },
    });

    // Act
    await ledger.recordFact(fact({ orderId, kind: 'shipped' }));

    // Assess: due now (a failed order's nextAttemptAt is past), the count of failures kept
    expect(await ledger.get(orderId)).toMatchObject({
      syncState: 'pending',
      attempts: 1,
      nextAttemptAt: clock,
      lastError: undefined,
    });
  });

  it('does not skip a transient backoff: a new fact leaves the next attempt time and the attempts', async () => {
    // Prepare: an order backing off after two transient failures, due in a minute
    const orderId = uniqueId('o');
    const first = await ledger.recordFact(fact({ orderId }));
    await ledger.acquireLease(orderId, 'me', clock + 1000);
    await ledger.finishPush(orderId, 'me', first.item!.version, {
      syncState: 'pending',
      attempts: 2,
      nextAttemptAt: clock + 60_000,
      lastError: { kind: 'transient', message: 'HTTP 503', at: clock },
    });

    // Act
    clock += 1_000;
    await ledger.recordFact(fact({ orderId, kind: 'shipped' }));

    // Assess
    expect(await ledger.get(orderId)).toMatchObject({
      syncState: 'pending',
      attempts: 2,
      nextAttemptAt: clock + 59_000,
    });
    const due = await ledger.queryQueue('pending', { dueBy: clock, limit: 1000 });
    expect(due.entries.map((e) => e.orderId)).not.toContain(orderId);
  });
});

describe('the push lease', () => {
  it('lets one pusher at a time hold an order, and another take it once it has expired', async () => {
    // Prepare
    const orderId = uniqueId('o');
    await ledger.recordFact(fact({ orderId }));

    // Act
    const first = await ledger.acquireLease(orderId, 'a', clock + 5000);
    const second = await ledger.acquireLease(orderId, 'b', clock + 5000);
    clock += 5001;
    const third = await ledger.acquireLease(orderId, 'b', clock + 5000);

    // Assess
    expect(first).toMatchObject({ orderId, leaseOwner: 'a' });
    expect(second).toBe('busy');
    expect(third).toMatchObject({ orderId, leaseOwner: 'b' });
  });

  it('says an order that was never recorded is missing', async () => {
    // Act & Assess
    await expect(ledger.acquireLease(uniqueId('nobody'), 'a', clock + 5000)).resolves.toBe('missing');
  });

  it('saves what the Order Center confirmed only while the lease is ours', async () => {
    // Prepare
    const orderId = uniqueId('o');
    await ledger.recordFact(fact({ orderId }));
    await ledger.acquireLease(orderId, 'a', clock + 5000);
    const ack = { ResourceID: orderId } as never;

    // Act
    await ledger.saveAck(orderId, 'a', ack);
    clock += 6000;
    await ledger.acquireLease(orderId, 'b', clock + 5000);

    // Assess
    expect((await ledger.get(orderId))?.ack).toEqual(ack);
    await expect(ledger.saveAck(orderId, 'a', ack)).rejects.toBeInstanceOf(LeaseLostError);
  });
});

describe('finishPush', () => {
  it('marks the order synced, takes it out of the queue and releases the lease', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const { item } = await ledger.recordFact(fact({ orderId }));
    await ledger.acquireLease(orderId, 'a', clock + 5000);

    // Act
    const result = await ledger.finishPush(orderId, 'a', item!.version, {
      syncState: 'synced',
      attempts: 0,
      nextAttemptAt: clock,
    });

    // Assess
    expect(result).toBe('ok');
    expect(await ledger.get(orderId)).toMatchObject({ syncState: 'synced', leaseOwner: undefined });
    const { entries } = await ledger.queryQueue('pending', { limit: 1000 });
    expect(entries.map((e) => e.orderId)).not.toContain(orderId);
  });

  it('keeps what Baidu confirmed by the last call, even when a fact arrived during the push', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const { item } = await ledger.recordFact(fact({ orderId }));
    await ledger.acquireLease(orderId, 'a', clock + 5000);
    await ledger.recordFact(fact({ orderId, kind: 'shipped' }));
    const ack = { ResourceID: orderId, Status: 6 } as never;

    // Act
    const result = await ledger.finishPush(orderId, 'a', item!.version, {
      syncState: 'synced',
      attempts: 0,
      nextAttemptAt: clock,
      ack,
    });

    // Assess
    expect(result).toBe('stale');
    expect(await ledger.get(orderId)).toMatchObject({ ack, syncState: 'pending', leaseOwner: undefined });
  });

  it('leaves the order pending when a fact arrived during the push', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const { item } = await ledger.recordFact(fact({ orderId }));
    await ledger.acquireLease(orderId, 'a', clock + 5000);
    await ledger.recordFact(fact({ orderId, kind: 'paid', payment: { paidAt: 1764316900 } }));

    // Act
    const result = await ledger.finishPush(orderId, 'a', item!.version, {
      syncState: 'synced',
      attempts: 0,
      nextAttemptAt: clock,
    });

    // Assess
    expect(result).toBe('stale');
    expect(await ledger.get(orderId)).toMatchObject({
      syncState: 'pending',
      leaseOwner: undefined,
      version: 2,
    });
  });
});

describe('the queue', () => {
  it('lists due orders page by page across the shards, and revives dead ones', async () => {
    // Prepare: three orders in a queue of their own, due at different times
    const queue = 'dead' as const;
    const ids = [uniqueId('q'), uniqueId('q'), uniqueId('q')];
    for (const [i, orderId] of ids.entries()) {
      const { item } = await ledger.recordFact(fact({ orderId }));
      await ledger.acquireLease(orderId, 'a', clock + 5000);
      await ledger.finishPush(orderId, 'a', item!.version, {
        syncState: queue,
        attempts: 10,
        nextAttemptAt: clock - 1000 + i,
      });
    }

    // Act
    const first = await ledger.queryQueue(queue, { dueBy: clock, limit: 2 });
    const second = await ledger.queryQueue(queue, { dueBy: clock, limit: 2, cursor: first.cursor });
    const revived = await ledger.revive(ids[1]!);
    const revivedTwice = await ledger.revive(ids[1]!);

    // Assess
    const listed = [...first.entries, ...second.entries];
    expect(listed.map((e) => e.orderId).sort()).toEqual([...ids].sort());
    expect(listed.find((e) => e.orderId === ids[0])).toEqual({
      orderId: ids[0],
      syncQueue: 'dead',
      nextAttemptAt: clock - 1000,
      attempts: 10,
    });
    expect(revived).toBe(true);
    expect(revivedTwice).toBe(false);
    expect(await ledger.get(ids[1]!)).toMatchObject({ syncState: 'pending', attempts: 0 });
  });
});

describe('when DynamoDB cannot be reached', () => {
  it('says the ledger is unavailable', async () => {
    // Prepare: a port nothing listens on
    const offline = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const down = createDynamoLedger({ client: offline, tableName });

    // Act & Assess
    await expect(down.recordFact(fact({ orderId: 'o' }))).rejects.toBeInstanceOf(LedgerUnavailableError);
    offline.destroy();
  });
});

describe('the sharded queue', () => {
  let sharded: Ledger;
  const shards = 4;

  beforeAll(async () => {
    const name = uniqueId('sharded');
    await createLedgerTable(dynamo.client, name);
    sharded = createDynamoLedger({ client: dynamo.client, tableName: name, shards, now: () => clock });
    shardedTable = name;
  });
  let shardedTable = '';

  it('gives each shard exactly its orders, in next-attempt order, and every order to one shard', async () => {
    // Prepare: 40 orders due at different times
    const ids = Array.from({ length: 40 }, () => uniqueId('s'));
    for (const [i, orderId] of ids.entries()) {
      clock = 1_764_316_800_000 + (i % 7) * 1000;
      await sharded.recordFact(fact({ orderId }));
    }

    // Act
    const byShard = await Promise.all(
      Array.from({ length: shards }, (_, shard) =>
        sharded.queryQueue('pending', { shard, dueBy: clock + 10_000, limit: 1000 }),
      ),
    );

    // Assess
    byShard.forEach((page, shard) => {
      expect(page.entries.every((e) => shardOf(e.orderId, shards) === shard)).toBe(true);
      const times = page.entries.map((e) => e.nextAttemptAt);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });
    const all = byShard.flatMap((p) => p.entries.map((e) => e.orderId));
    expect(all.sort()).toEqual([...ids].sort());
  });

  it('still finds an item the first release queued (unsharded), in shard 0, and moves it on its next write', async () => {
    // Prepare: an item as the first release wrote it (syncQueue = pending, no queueShard)
    const orderId = uniqueId('legacy');
    const placed = fact({ orderId, order: snapshot() });
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    await doc.send(
      new UpdateCommand({
        TableName: shardedTable,
        Key: { orderId },
        UpdateExpression:
          'SET #f = :fact, syncState = :p, syncQueue = :p, nextAttemptAt = :at, attempts = :zero, version = :one, createdAt = :at, updatedAt = :at',
        ExpressionAttributeNames: { '#f': `f#${placed.eventId}` },
        ExpressionAttributeValues: {
          ':fact': placed,
          ':p': 'pending',
          ':at': clock - 1,
          ':zero': 0,
          ':one': 1,
        },
      }),
    );

    // Act
    const found = await sharded.queryQueue('pending', { shard: 0, dueBy: clock, limit: 1000 });
    const elsewhere = await Promise.all(
      [1, 2, 3].map((shard) => sharded.queryQueue('pending', { shard, dueBy: clock, limit: 1000 })),
    );
    const item = await sharded.acquireLease(orderId, 'w', clock + 5000);
    await sharded.finishPush(orderId, 'w', 1, { syncState: 'dead', attempts: 12, nextAttemptAt: clock });
    const raw = await doc.send(new GetCommand({ TableName: shardedTable, Key: { orderId } }));

    // Assess
    expect(found.entries).toContainEqual(expect.objectContaining({ orderId, syncQueue: 'pending' }));
    expect(elsewhere.flatMap((p) => p.entries.map((e) => e.orderId))).not.toContain(orderId);
    expect(item).toMatchObject({ orderId, version: 1 });
    expect(raw.Item).toMatchObject({ queueShard: `dead#${shardOf(orderId, shards)}` });
    expect(raw.Item?.syncQueue).toBeUndefined();
    const dead = await sharded.queryQueue('dead', { limit: 1000 });
    expect(dead.entries.filter((e) => e.orderId === orderId)).toHaveLength(1);
  });

  it('finds the orders a larger SYNC_SHARDS left, with the shard they now belong to', async () => {
    // Prepare: orders queued while SYNC_SHARDS was 8; now it is 4 (same table)
    const eight = createDynamoLedger({
      client: dynamo.client,
      tableName: shardedTable,
      shards: 8,
      now: () => clock,
    });
    const ids = Array.from({ length: 24 }, () => uniqueId('wide'));
    for (const orderId of ids) await eight.recordFact(fact({ orderId }));

    // Act
    const pages = await Promise.all(
      Array.from({ length: shards }, (_, shard) => sharded.queryQueue('pending', { shard, limit: 1000 })),
    );

    // Assess: every one found, each by exactly one worker of the four
    const found = pages.flatMap((p) => p.entries.map((e) => e.orderId)).filter((id) => ids.includes(id));
    expect(found.sort()).toEqual([...ids].sort());
  });

  it('refuses a cursor it did not make', async () => {
    await expect(sharded.queryQueue('pending', { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toThrow('cursor');
  });
});
