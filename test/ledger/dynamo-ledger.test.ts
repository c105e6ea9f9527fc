import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoLedger } from '../../lib/ledger/dynamo-ledger';
import type { Fact } from '../../lib/events/types';
import { LeaseLostError, LedgerUnavailableError, type Ledger, type LedgerItem } from '../../lib/ledger/types';
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

/** Records a fact and returns the order's item after it. */
async function record(f: Fact): Promise<LedgerItem> {
  await ledger.recordFact(f);
  const item = await ledger.get(f.orderId);
  if (!item) throw new Error(`order ${f.orderId} was not recorded`);
  return item;
}

describe('the table', () => {
  it('is created from the serverless.yml declaration: pay per request, with the sparse queue index', async () => {
    // Act
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: tableName }));

    // Assess
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'orderId', KeyType: 'HASH' }]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema])).toEqual([
      [
        'bySyncQueue',
        [
          { AttributeName: 'syncQueue', KeyType: 'HASH' },
          { AttributeName: 'nextAttemptAt', KeyType: 'RANGE' },
        ],
      ],
    ]);
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
    expect(result).toEqual({ outcome: 'recorded' });
    expect(await ledger.get(orderId)).toMatchObject({
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
    const again = await ledger.recordFact(structuredClone(placed));

    // Assess
    expect(again).toEqual({ outcome: 'duplicate' });
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
    expect(results.every((r) => r.outcome === 'recorded')).toBe(true);
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
    expect(results.filter((r) => r.outcome === 'recorded')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(49);
    const item = await ledger.get(orderId);
    expect(item?.facts).toEqual([placed]);
    expect(item?.version).toBe(1);
  });

  it('puts a failed or dead order back in the pending queue when a new fact comes', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const first = await record(fact({ orderId }));
    await ledger.acquireLease(orderId, 'me', clock + 1000);
    await ledger.finishPush(orderId, 'me', first.version, {
      syncState: 'failed',
      attempts: 1,
      nextAttemptAt: clock,
      lastError: { kind: 'permanent', message: 'errno 2002', at: clock },
    });

    // Act
    await ledger.recordFact(fact({ orderId, kind: 'shipped' }));

    // Assess
    expect(await ledger.get(orderId)).toMatchObject({
      syncState: 'pending',
      attempts: 0,
      lastError: undefined,
    });
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
    const item = await record(fact({ orderId }));
    await ledger.acquireLease(orderId, 'a', clock + 5000);

    // Act
    const result = await ledger.finishPush(orderId, 'a', item.version, {
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
    const item = await record(fact({ orderId }));
    await ledger.acquireLease(orderId, 'a', clock + 5000);
    await ledger.recordFact(fact({ orderId, kind: 'shipped' }));
    const ack = { ResourceID: orderId, Status: 6 } as never;

    // Act
    const result = await ledger.finishPush(orderId, 'a', item.version, {
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
    const item = await record(fact({ orderId }));
    await ledger.acquireLease(orderId, 'a', clock + 5000);
    await ledger.recordFact(fact({ orderId, kind: 'paid', payment: { paidAt: 1764316900 } }));

    // Act
    const result = await ledger.finishPush(orderId, 'a', item.version, {
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
  it('lists due orders by next attempt time, page by page, and revives dead ones', async () => {
    // Prepare: three orders in a queue of their own, due at different times
    const queue = 'dead' as const;
    const ids = [uniqueId('q'), uniqueId('q'), uniqueId('q')];
    for (const [i, orderId] of ids.entries()) {
      const item = await record(fact({ orderId }));
      await ledger.acquireLease(orderId, 'a', clock + 5000);
      await ledger.finishPush(orderId, 'a', item.version, {
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
    expect([...first.entries, ...second.entries].map((e) => e.orderId)).toEqual(ids);
    expect(first.entries[0]).toMatchObject({ syncQueue: 'dead', attempts: 10 });
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
