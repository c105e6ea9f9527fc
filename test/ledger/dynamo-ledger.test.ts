import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoLedger } from '../../lib/ledger/dynamo-ledger';
import { shardOf } from '../../lib/ledger/shard';
import type { Fact } from '../../lib/events/types';
import { LeaseLostError, LedgerUnavailableError, type Ledger, type LedgerItem } from '../../lib/ledger/types';
import { createLedgerTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamo';
import { project } from '../../lib/projection';
import { fact, snapshot, uniqueId } from '../helpers/facts';
import { recordFirstReleaseFact as recordFirstRelease } from './first-release';

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

/** The order's item as DynamoDB holds it. */
async function rawItem(orderId: string): Promise<Record<string, unknown>> {
  const doc = DynamoDBDocumentClient.from(dynamo.client);
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: { orderId }, ConsistentRead: true }),
  );
  if (!Item) throw new Error(`no item for order ${orderId}`);
  return Item;
}

const recordFirstReleaseFact = (f: Fact) => recordFirstRelease(dynamo.client, tableName, f, clock);

const CONFIG = { bizAppId: 'app-key-1' };

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
    const indexes = Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, i.Projection]);
    expect(indexes).toContainEqual([
      'byQueueShard',
      [
        { AttributeName: 'queueShard', KeyType: 'HASH' },
        { AttributeName: 'nextAttemptAt', KeyType: 'RANGE' },
      ],
      { ProjectionType: 'INCLUDE', NonKeyAttributes: ['attempts', 'lastError'] },
    ]);
    expect(indexes).toContainEqual([
      'byPaymentCheck',
      [
        { AttributeName: 'checkShard', KeyType: 'HASH' },
        { AttributeName: 'checkDueAt', KeyType: 'RANGE' },
      ],
      { ProjectionType: 'KEYS_ONLY' },
    ]);
    // The first release's index stays declared (read only) until a later release drops it.
    expect(indexes?.map(([name]) => name)).toEqual(['byQueueShard', 'bySyncQueue', 'byPaymentCheck']);
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
    expect(result).toEqual({ outcome: 'recorded', nextAttemptAt: clock });
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

    // Assess: with where the order's sync stands, read with the fact
    expect(again).toEqual({ outcome: 'duplicate', syncState: 'pending' });
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

  it.each([
    ['failed', 1, { kind: 'permanent' as const, message: 'errno 2002' }],
    ['dead', 12, { kind: 'transient' as const, message: 'HTTP 503' }],
  ] as const)(
    'puts a %s order back in the pending queue when a new fact comes, due now with a fresh count',
    async (syncState, attempts, error) => {
      // Prepare: the order gave up a minute ago
      const orderId = uniqueId('o');
      const first = await record(fact({ orderId }));
      await ledger.acquireLease(orderId, 'me', clock + 1000);
      await ledger.finishPush(orderId, 'me', first.version, {
        syncState,
        attempts,
        nextAttemptAt: clock,
        lastError: { ...error, at: clock },
      });

      // Act
      clock += 60_000;
      const recorded = await ledger.recordFact(fact({ orderId, kind: 'shipped' }));

      // Assess: a dead order's spent count would kill it again at its first transient failure
      expect(recorded).toEqual({ outcome: 'recorded', nextAttemptAt: clock });
      expect(await ledger.get(orderId)).toMatchObject({
        syncState: 'pending',
        attempts: 0,
        nextAttemptAt: clock,
        lastError: undefined,
      });
      const due = await ledger.queryQueue('pending', { dueBy: clock, limit: 1000 });
      expect(due.entries.map((e) => e.orderId)).toContain(orderId);
    },
  );

  it('does not skip a transient backoff: a new fact leaves the next attempt time and the attempts', async () => {
    // Prepare: an order backing off after two transient failures, due in a minute
    const orderId = uniqueId('o');
    await ledger.recordFact(fact({ orderId }));
    const leased = (await ledger.acquireLease(orderId, 'me', clock + 1000)) as LedgerItem;
    await ledger.finishPush(orderId, 'me', leased.version, {
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

describe('recordFact: a repeated eventId', () => {
  it('with other content is a conflict naming both fingerprints, and changes nothing', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const placed = fact({ orderId, order: snapshot() });
    const before = await record(placed);

    // Act
    const other = await ledger.recordFact({ ...placed, order: snapshot({ title: 'another title' }) });

    // Assess
    expect(other).toEqual({
      outcome: 'conflict',
      syncState: 'pending',
      recordedFingerprint: expect.stringMatching(/^[\w-]{43}$/),
      fingerprint: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(await ledger.get(orderId)).toEqual(before);
  });

  it('with the same content in another key order is a duplicate', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const placed = fact({ orderId, order: snapshot() });
    await ledger.recordFact(placed);
    const reordered = Object.fromEntries(Object.entries(placed).reverse()) as unknown as Fact;

    // Act & Assess
    await expect(ledger.recordFact(reordered)).resolves.toMatchObject({ outcome: 'duplicate' });
  });

  it('sent at once with two contents: one recorded, each repeat a duplicate or a conflict by its content', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const one = fact({ orderId, kind: 'shipped' });
    const two = { ...one, occurredAt: one.occurredAt + 1 };
    const sent = Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two));

    // Act
    const results = await Promise.all(sent.map((f) => ledger.recordFact(f)));

    // Assess
    const winner = results.findIndex((r) => r.outcome === 'recorded');
    expect(results.filter((r) => r.outcome === 'recorded')).toHaveLength(1);
    results.forEach((r, i) => {
      if (i !== winner) expect(r.outcome).toBe(sent[i] === sent[winner] ? 'duplicate' : 'conflict');
    });
    expect((await ledger.get(orderId))?.facts).toEqual([sent[winner]]);
  });
});

describe('snapshots on the item', () => {
  const revision = (orderId: string, occurredAt: number, title: string, fee: number) =>
    fact({
      orderId,
      occurredAt,
      order: snapshot({ title, fees: [{ name: '运费', amount: fee, quantity: 1 }] }),
    });

  it('hold the latest one only; a superseded one, even arriving late, leaves only its amount', async () => {
    // Prepare: three revisions; the one in the middle arrives last
    const orderId = uniqueId('o');
    const first = revision(orderId, 100, 'first', 100);
    const middle = revision(orderId, 200, 'middle', 200);
    const last = revision(orderId, 300, 'last', 300);

    // Act
    for (const f of [first, last, middle]) await ledger.recordFact(f);

    // Assess
    const raw = await rawItem(orderId);
    expect(raw).toMatchObject({ snapshotEventId: last.eventId, snapshot: last.order });
    const stored = Object.entries(raw).filter(([key]) => key.startsWith('f#'));
    expect(stored).toHaveLength(3);
    for (const [, value] of stored) expect(value).not.toHaveProperty('order');
    const item = await ledger.get(orderId);
    const byId = new Map(item!.facts.map((f) => [f.eventId, f]));
    expect(byId.get(last.eventId)).toEqual(last);
    expect(byId.get(first.eventId)).toMatchObject({ snapshotAmount: 2390 });
    expect(byId.get(middle.eventId)).toMatchObject({ snapshotAmount: 2490 });
    expect(project(orderId, item!.facts, CONFIG)).toStrictEqual(
      project(orderId, [first, middle, last], CONFIG),
    );
  });

  it('keep a cashier payment of a superseded snapshot amount a payment', async () => {
    // Prepare: placed at 2390, paid 2390 by the cashier, then a fee added (2490)
    const orderId = uniqueId('o');
    const placed = revision(orderId, 100, 'placed', 100);
    const paid = fact({
      orderId,
      kind: 'paid',
      source: 'cashier',
      occurredAt: 150,
      payment: { paidAt: 150, amount: 2390, cashierOrderId: 'c1' },
      cashier: {
        orderId: 'c1',
        userId: 'u',
        totalMoney: 2390,
        payMoney: 2390,
        dealId: 'd',
        payTime: 150,
        status: 2,
      },
    });
    const withFee = revision(orderId, 200, 'with a fee', 200);

    // Act
    for (const f of [placed, paid, withFee]) await ledger.recordFact(f);

    // Assess
    const item = await ledger.get(orderId);
    expect(item?.facts.find((f) => f.eventId === placed.eventId)).not.toHaveProperty('order');
    const projection = project(orderId, item!.facts, CONFIG);
    expect(projection).toMatchObject({ ready: true, view: { data: { Status: 5 }, anomalies: [] } });
    expect(projection).toStrictEqual(project(orderId, [placed, paid, withFee], CONFIG));
  });

  it('sent at once: the latest in fold order is held, whatever order the writes land in', async () => {
    // Prepare: ties on occurredAt, broken by eventId
    const orderId = uniqueId('o');
    const facts = Array.from({ length: 30 }, (_, i) => revision(orderId, 100 + (i % 7), `r${i}`, i));

    // Act
    await Promise.all(facts.map((f) => ledger.recordFact(f)));

    // Assess
    const latest = [...facts].sort((a, b) =>
      a.occurredAt !== b.occurredAt ? a.occurredAt - b.occurredAt : a.eventId < b.eventId ? -1 : 1,
    )[facts.length - 1]!;
    expect(await rawItem(orderId)).toMatchObject({ snapshotEventId: latest.eventId });
    const item = await ledger.get(orderId);
    expect(project(orderId, item!.facts, CONFIG)).toStrictEqual(project(orderId, facts, CONFIG));
  });
});

describe('the archive', () => {
  it('takes the facts held whole once there are enough: each f#<eventId> keeps its fingerprint only', async () => {
    // Prepare
    const archiving = createDynamoLedger({
      client: dynamo.client,
      tableName,
      now: () => clock,
      archiveEvery: 3,
    });
    const orderId = uniqueId('o');
    const placed = fact({ orderId, occurredAt: 100, order: snapshot() });
    const facts = [placed, fact({ orderId, kind: 'paid', occurredAt: 110, payment: { paidAt: 110 } })];
    facts.push(
      fact({ orderId, kind: 'shipped', occurredAt: 120 }),
      fact({ orderId, kind: 'completed', occurredAt: 130 }),
    );

    // Act
    for (const f of facts) await archiving.recordFact(f);

    // Assess: three archived, the fourth held whole; every fact reads back as it was sent
    const raw = await rawItem(orderId);
    const entries = Object.entries(raw).filter(([key]) => key.startsWith('f#'));
    expect(entries.filter(([, v]) => typeof v === 'string')).toHaveLength(3);
    expect(raw).toMatchObject({ liveFacts: 1, snapshotEventId: placed.eventId });
    const item = await archiving.get(orderId);
    expect(new Map(item!.facts.map((f) => [f.eventId, f]))).toEqual(
      new Map(facts.map((f) => [f.eventId, f])),
    );
    await expect(archiving.recordFact(structuredClone(placed))).resolves.toMatchObject({
      outcome: 'duplicate',
    });
    await expect(archiving.recordFact({ ...facts[1]!, occurredAt: 111 })).resolves.toMatchObject({
      outcome: 'conflict',
    });
  });

  it('is not written when a fact arrives between its read and its write; a later record archives all', async () => {
    // Prepare: a client that records another fact right after the archive has read the item
    const racing = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const orderId = uniqueId('o');
    const intruder = fact({ orderId, kind: 'shipped', occurredAt: 150 });
    let armed = false;
    racing.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const input = args.input as { ProjectionExpression?: string };
        if (armed && context.commandName === 'GetItemCommand' && input.ProjectionExpression === undefined) {
          armed = false;
          await ledger.recordFact(intruder);
        }
        return result;
      },
      { step: 'initialize', name: 'intruder' },
    );
    const archiving = createDynamoLedger({ client: racing, tableName, now: () => clock, archiveEvery: 2 });
    await archiving.recordFact(fact({ orderId, occurredAt: 100, order: snapshot() }));

    // Act
    armed = true;
    await archiving.recordFact(fact({ orderId, kind: 'paid', occurredAt: 110, payment: { paidAt: 110 } }));
    const raced = await rawItem(orderId);
    await archiving.recordFact(fact({ orderId, kind: 'completed', occurredAt: 200 }));

    // Assess
    expect(armed).toBe(false);
    expect(raced).not.toHaveProperty('archive');
    expect(
      Object.entries(raced).filter(([k, v]) => k.startsWith('f#') && typeof v === 'object'),
    ).toHaveLength(3);
    const after = await rawItem(orderId);
    expect(
      Object.entries(after).filter(([k, v]) => k.startsWith('f#') && typeof v === 'string'),
    ).toHaveLength(4);
    expect((await ledger.get(orderId))?.facts).toHaveLength(4);
    racing.destroy();
  });

  it('brings a first-release item in: its latest snapshot comes to be held on the item', async () => {
    // Prepare
    const archiving = createDynamoLedger({
      client: dynamo.client,
      tableName,
      now: () => clock,
      archiveEvery: 2,
    });
    const orderId = uniqueId('o');
    const later = fact({ orderId, occurredAt: 300, order: snapshot({ title: 'later' }) });
    await recordFirstReleaseFact(fact({ orderId, occurredAt: 100, order: snapshot({ title: 'first' }) }));
    await recordFirstReleaseFact(later);

    // Act: two new facts (the first release's are not counted), and the archive takes all four
    await archiving.recordFact(
      fact({ orderId, occurredAt: 200, order: snapshot({ title: 'new but earlier' }) }),
    );
    await archiving.recordFact(fact({ orderId, kind: 'completed', occurredAt: 400 }));

    // Assess
    const raw = await rawItem(orderId);
    expect(raw).toMatchObject({ snapshotEventId: later.eventId, snapshot: later.order, liveFacts: 0 });
    expect(Object.entries(raw).filter(([k, v]) => k.startsWith('f#') && typeof v === 'string')).toHaveLength(
      4,
    );
    const item = await ledger.get(orderId);
    expect(project(orderId, item!.facts, CONFIG)).toMatchObject({
      view: { data: { Title: 'later', Status: 200 } },
    });
  });
});

describe('an item in the first release shape', () => {
  it('is read as it is, its facts are repeats by content, and new facts go in beside them', async () => {
    // Prepare
    const orderId = uniqueId('o');
    const old = revision2(orderId, 200, 'old and later');
    const shippedOld = fact({ orderId, kind: 'shipped', occurredAt: 250 });
    await recordFirstReleaseFact(old);
    await recordFirstReleaseFact(shippedOld);
    const earlier = revision2(orderId, 100, 'new but earlier');
    const completed = fact({ orderId, kind: 'completed', occurredAt: 300 });

    // Act
    const repeat = await ledger.recordFact(structuredClone(old));
    const conflict = await ledger.recordFact({ ...shippedOld, occurredAt: 251 });
    await ledger.recordFact(earlier);
    await ledger.recordFact(completed);

    // Assess
    expect(repeat).toMatchObject({ outcome: 'duplicate' });
    expect(conflict).toMatchObject({ outcome: 'conflict' });
    const item = await ledger.get(orderId);
    expect(item?.version).toBe(4);
    const all = [old, shippedOld, earlier, completed];
    expect(project(orderId, item!.facts, CONFIG)).toStrictEqual(project(orderId, all, CONFIG));
    expect(project(orderId, all, CONFIG)).toMatchObject({
      ready: true,
      view: { data: { Title: 'old and later' } },
    });
  });

  function revision2(orderId: string, occurredAt: number, title: string): Fact {
    return fact({ orderId, occurredAt, order: snapshot({ title }) });
  }
});

describe('noteConflict', () => {
  const note = (eventId: string, fingerprint: string) => ({
    code: 'event-id-conflict',
    eventId,
    detail: `other content ${fingerprint}`,
    fingerprint,
  });

  it('keeps each conflicting content once, beside the anomalies a push writes', async () => {
    // Prepare
    const orderId = uniqueId('o');
    await ledger.recordFact(fact({ orderId }));
    const version = (await ledger.get(orderId))!.version;

    // Act: Baidu retries what it sent, and then sends a third content
    await ledger.noteConflict(orderId, note('cashier:1:2', 'fp-a'));
    await ledger.noteConflict(orderId, note('cashier:1:2', 'fp-a'));
    await ledger.noteConflict(orderId, note('cashier:1:2', 'fp-b'));
    await ledger.acquireLease(orderId, 'a', clock + 5000);
    await ledger.finishPush(orderId, 'a', version, {
      syncState: 'synced',
      attempts: 0,
      nextAttemptAt: clock,
    });

    // Assess
    const item = await ledger.get(orderId);
    expect(item?.conflicts?.map((c) => c.detail)).toEqual(['other content fp-a', 'other content fp-b']);
    expect(item?.conflicts?.[0]).toEqual({
      code: 'event-id-conflict',
      eventId: 'cashier:1:2',
      detail: 'other content fp-a',
    });
    expect(item?.version).toBe(version);
    const listed = (await ledger.listAnomalies()).orders.find((o) => o.orderId === orderId);
    expect(listed?.anomalies).toHaveLength(2);
  });

  it('creates no order', async () => {
    // Prepare
    const orderId = uniqueId('nobody');

    // Act
    await ledger.noteConflict(orderId, note('cashier:1:2', 'fp-a'));

    // Assess
    expect(await ledger.get(orderId)).toBeUndefined();
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
  it('lists due orders page by page across the shards, and revives dead ones', async () => {
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
    // Prepare: 40 orders due at different times, every other one recorded with a snapshot (held on the
    // item with its own fold key, which must not touch the queue key)
    const ids = Array.from({ length: 40 }, () => uniqueId('s'));
    for (const [i, orderId] of ids.entries()) {
      clock = 1_764_316_800_000 + (i % 7) * 1000;
      await sharded.recordFact(fact({ orderId, ...(i % 2 ? { order: snapshot() } : {}) }));
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
