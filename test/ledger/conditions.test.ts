/**
 * Every conditional write of the DynamoDB ledger, each guard with the case that must fail it, against
 * dynalite. A row says how the order is before the write (`given`), what breaks the guard (`breach`) and
 * the write itself (`act`). Each row runs twice: with the breach, the write must answer `refused` and leave
 * the item as `refusedItem` says (by default: byte for byte as it was, though the clock moved, so an
 * unguarded `updatedAt` would show); without it, the same write must answer `granted` and change the item,
 * so that no row passes because its write does nothing at all.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoLedger } from '../../lib/ledger/dynamo-ledger';
import type { Ledger, RecordedAnomaly } from '../../lib/ledger/types';
import type { OrderData } from '../../lib/order-center/types';
import { createLedgerTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamo';
import { fact, snapshot, uniqueId } from '../helpers/facts';

type Raw = Record<string, unknown> | undefined;

let dynamo: LocalDynamo;
let doc: DynamoDBDocumentClient;
let ledger: Ledger;
/** A second client whose next write with a given condition runs `interleaved` first (a race, made certain). */
let racing: DynamoDBClient;
let interleave: { condition: string; run: () => Promise<void> } | undefined;
/** The ledger on the racing client, archiving every two facts. */
let archiving: Ledger;
let clock: number;
const tableName = uniqueId('conditions');

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await createLedgerTable(dynamo.client, tableName);
  doc = DynamoDBDocumentClient.from(dynamo.client);
  ledger = createDynamoLedger({ client: dynamo.client, tableName, now: () => clock });
  racing = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  racing.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ConditionExpression?: string };
      const pending = interleave;
      if (
        pending &&
        context.commandName === 'UpdateItemCommand' &&
        input.ConditionExpression === pending.condition
      ) {
        interleave = undefined;
        await pending.run();
      }
      return next(args);
    },
    { step: 'initialize', name: 'interleave' },
  );
  archiving = createDynamoLedger({ client: racing, tableName, now: () => clock, archiveEvery: 2 });
});

afterAll(async () => {
  racing.destroy();
  await dynamo.stop();
});

beforeEach(() => {
  clock = 1_764_316_800_000;
  interleave = undefined;
});

async function rawItem(orderId: string): Promise<Raw> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: { orderId }, ConsistentRead: true }),
  );
  return Item;
}

/** The order's item disappears (deleted by hand, or never there for this id). */
async function deleteItem(orderId: string): Promise<void> {
  await doc.send(new DeleteCommand({ TableName: tableName, Key: { orderId } }));
}

/** What a write answered: its value, or the name of what it threw. */
async function answerOf(write: Promise<unknown>): Promise<unknown> {
  try {
    return { returned: await write };
  } catch (err) {
    return { threw: err instanceof Error ? err.name : String(err) };
  }
}

const LEASE_MS = 5000;
const ACK = { ResourceID: 'ack', Status: 2 } as unknown as OrderData;
const SYNCED_WITH_ACK = { syncState: 'synced' as const, attempts: 0, nextAttemptAt: 0, ack: ACK };

/**
 * The facts of a case, named after the order, so that the same call gives the same fact (same eventId,
 * same content) in `given`, `breach` and `act`, and in the assertions.
 */
const placed = (orderId: string) =>
  fact({ orderId, eventId: `${orderId}:placed`, occurredAt: 100, order: snapshot() });
const revision = (orderId: string, occurredAt: number) =>
  fact({
    orderId,
    eventId: `${orderId}:r${occurredAt}`,
    occurredAt,
    order: snapshot({ title: `revision ${occurredAt}` }),
  });
const paid = (orderId: string, paidAt = 110) =>
  fact({ orderId, eventId: `${orderId}:paid`, kind: 'paid', occurredAt: 110, payment: { paidAt } });
const shipped = (orderId: string) =>
  fact({ orderId, eventId: `${orderId}:shipped`, kind: 'shipped', occurredAt: 150 });
const conflictNote: RecordedAnomaly & { fingerprint: string } = {
  code: 'event-id-conflict',
  eventId: 'cashier:1:2',
  detail: 'other content fp-a',
  fingerprint: 'fp-a',
};

/** A recorded order; returns its version. */
async function recorded(orderId: string): Promise<number> {
  await ledger.recordFact(placed(orderId));
  return 1;
}

/** A recorded order whose push lease `a` holds; returns the version the push read. */
async function leased(orderId: string): Promise<number> {
  await ledger.recordFact(placed(orderId));
  const item = await ledger.acquireLease(orderId, 'a', clock + LEASE_MS);
  if (typeof item === 'string') throw new Error(`could not lease ${orderId}: ${item}`);
  return item.version;
}

/** A recorded order whose pushes failed until it was marked dead. */
async function dead(orderId: string): Promise<number> {
  const version = await leased(orderId);
  await ledger.finishPush(orderId, 'a', version, { syncState: 'dead', attempts: 10, nextAttemptAt: clock });
  return version;
}

/** Another pusher takes the lease once ours has expired. */
async function leaseTakenByB(orderId: string): Promise<void> {
  clock += LEASE_MS + 1;
  await ledger.acquireLease(orderId, 'b', clock + LEASE_MS);
}

const eventIds = async (orderId: string): Promise<string[]> =>
  ((await ledger.get(orderId))?.facts ?? []).map((f) => f.eventId).sort();

/** The guarded writes, as the cases call them (`version`: what `given` returned). */
const saveAck = (orderId: string) => ledger.saveAck(orderId, 'a', ACK);
const finishSynced = (orderId: string, version: number) =>
  ledger.finishPush(orderId, 'a', version, SYNCED_WITH_ACK);
const leaseForA = (orderId: string) => ledger.acquireLease(orderId, 'a', clock + LEASE_MS);
const revive = (orderId: string) => ledger.revive(orderId);
const noteConflict = (orderId: string) => ledger.noteConflict(orderId, conflictNote);

const RECORDED = { returned: { outcome: 'recorded', nextAttemptAt: expect.any(Number) } };
const NOTHING = { returned: undefined };
const LEASE_LOST = { threw: 'LeaseLostError' };

interface GuardCase {
  /** the ledger write */
  write: string;
  /** the clause of its ConditionExpression */
  guard: string;
  /** the case that must fail it */
  fails: string;
  /** the order as the write finds it when the guard holds; returns its version */
  given(orderId: string): Promise<number>;
  /** what makes the guard fail */
  breach(orderId: string, version: number): Promise<unknown>;
  /** the guarded write */
  act(orderId: string, version: number): Promise<unknown>;
  refused: unknown;
  /** the item after the refused write; default: as it was before the write */
  refusedItem?(before: Raw, after: Raw, orderId: string): Promise<void>;
  granted: unknown;
  /** the item after the granted write; default: not as it was */
  grantedItem?(before: Raw, after: Raw, orderId: string): Promise<void>;
}

const GUARDS: GuardCase[] = [
  // recordFact: attribute_not_exists(f#<eventId>)
  {
    write: 'recordFact',
    guard: 'attribute_not_exists(f#<eventId>)',
    fails: 'a duplicate fact (same eventId, same content)',
    given: recorded,
    breach: (orderId) => ledger.recordFact(paid(orderId)),
    act: (orderId) => ledger.recordFact(paid(orderId)),
    refused: { returned: { outcome: 'duplicate', syncState: 'pending' } },
    granted: RECORDED,
  },
  {
    write: 'recordFact',
    guard: 'attribute_not_exists(f#<eventId>)',
    fails: 'a reused eventId with other content',
    given: recorded,
    breach: (orderId) => ledger.recordFact(paid(orderId)),
    act: (orderId) => ledger.recordFact(paid(orderId, 111)),
    refused: { returned: expect.objectContaining({ outcome: 'conflict', syncState: 'pending' }) },
    granted: RECORDED,
  },
  // recordFact with a snapshot: attribute_not_exists(snapshotKey) OR snapshotKey < :key
  {
    write: 'recordFact (snapshot)',
    guard: 'snapshotKey < :key',
    fails: 'a snapshot older than the one held',
    given: recorded,
    breach: (orderId) => ledger.recordFact(revision(orderId, 300)),
    act: (orderId) => ledger.recordFact(revision(orderId, 200)),
    // The fact is recorded (its amount stays); only the held snapshot is not replaced.
    refused: RECORDED,
    refusedItem: async (before, after, orderId) => {
      const held = revision(orderId, 300);
      expect(after).toMatchObject({ snapshotEventId: held.eventId, snapshot: held.order });
      expect(after?.snapshotKey).toEqual(before?.snapshotKey);
      expect(await eventIds(orderId)).toContain(revision(orderId, 200).eventId);
    },
    granted: RECORDED,
    grantedItem: async (_before, after, orderId) => {
      const late = revision(orderId, 200);
      expect(after).toMatchObject({ snapshotEventId: late.eventId, snapshot: late.order });
    },
  },
  // recordFact with a snapshot: attribute_not_exists(openId) OR openId = :openId
  {
    write: 'recordFact (snapshot)',
    guard: 'openId = :openId',
    fails: "another user's snapshot recorded first (the order's owner)",
    given: async (orderId) => {
      await ledger.recordFact(shipped(orderId));
      return 1;
    },
    breach: (orderId) =>
      ledger.recordFact(
        fact({ orderId, eventId: `${orderId}:other`, occurredAt: 90, order: snapshot({ openId: 'user-b' }) }),
      ),
    act: (orderId) => ledger.recordFact(placed(orderId)),
    refused: { returned: { outcome: 'owner-conflict', owner: 'user-b' } },
    granted: RECORDED,
  },
  // the archive: version = :version
  {
    write: 'archive (inside recordFact)',
    guard: 'version = :version',
    fails: 'a fact recorded between its read and its write (version moved)',
    given: async (orderId) => {
      await archiving.recordFact(placed(orderId));
      return 1;
    },
    breach: async (orderId) => {
      interleave = {
        condition: 'version = :version',
        run: async () => void (await ledger.recordFact(shipped(orderId))),
      };
    },
    act: (orderId) => archiving.recordFact(paid(orderId)),
    // The fact is recorded all the same; the facts stay whole, none is lost, and none is archived.
    refused: RECORDED,
    refusedItem: async (_before, after, orderId) => {
      expect(interleave).toBeUndefined();
      expect(after).not.toHaveProperty('archive');
      expect(Object.keys(after ?? {}).filter((k) => k.startsWith('f#'))).toHaveLength(3);
      expect(await eventIds(orderId)).toHaveLength(3);
    },
    granted: RECORDED,
    grantedItem: async (_before, after, orderId) => {
      expect(after).toHaveProperty('archive');
      expect(await eventIds(orderId)).toHaveLength(2);
    },
  },
  // noteConflict: attribute_exists(orderId) AND NOT contains(conflictKeys, :key)
  {
    write: 'noteConflict',
    guard: 'attribute_exists(orderId)',
    fails: 'an order with no item',
    given: recorded,
    breach: deleteItem,
    act: noteConflict,
    refused: NOTHING,
    granted: NOTHING,
  },
  {
    write: 'noteConflict',
    guard: 'NOT contains(conflictKeys, :key)',
    fails: 'a conflict noted already (Baidu retries)',
    given: recorded,
    breach: noteConflict,
    act: noteConflict,
    refused: NOTHING,
    granted: NOTHING,
  },
  // acquireLease: attribute_exists(orderId) AND (no lease OR expired OR ours)
  {
    write: 'acquireLease',
    guard: 'attribute_exists(orderId)',
    fails: 'an order with no item',
    given: recorded,
    breach: deleteItem,
    act: leaseForA,
    refused: { returned: 'missing' },
    granted: { returned: expect.objectContaining({ leaseOwner: 'a' }) },
  },
  {
    write: 'acquireLease',
    guard: 'leaseUntil < :now OR leaseOwner = :owner',
    fails: "another pusher's unexpired lease",
    given: recorded,
    breach: (orderId) => ledger.acquireLease(orderId, 'b', clock + LEASE_MS),
    act: leaseForA,
    refused: { returned: 'busy' },
    granted: { returned: expect.objectContaining({ leaseOwner: 'a' }) },
  },
  // saveAck: leaseOwner = :owner
  ...[
    { fails: 'a lost lease (it expired and another pusher took it)', breach: leaseTakenByB },
    {
      fails: 'a lease released (the push finished)',
      breach: (orderId: string, version: number) =>
        ledger.finishPush(orderId, 'a', version, { syncState: 'synced', attempts: 0, nextAttemptAt: clock }),
    },
    { fails: 'an order with no item', breach: deleteItem },
  ].map(({ fails, breach }): GuardCase => ({
    write: 'saveAck',
    guard: 'leaseOwner = :owner',
    fails,
    given: leased,
    breach,
    act: saveAck,
    refused: LEASE_LOST,
    granted: NOTHING,
  })),
  // finishPush: leaseOwner = :owner AND version = :version, then (stale) leaseOwner = :owner
  {
    write: 'finishPush',
    guard: 'version = :version',
    fails: 'a fact recorded during the push (version moved)',
    given: leased,
    breach: (orderId) => ledger.recordFact(paid(orderId)),
    act: finishSynced,
    // Stale: the order stays pending and due; only the lease goes, and what Baidu confirmed is kept.
    refused: { returned: 'stale' },
    refusedItem: async (before, after) => {
      const { leaseOwner: _owner, leaseUntil: _until, ...rest } = before ?? {};
      expect(after).toEqual({ ...rest, ack: ACK });
      expect(after).toMatchObject({
        syncState: 'pending',
        queueShard: expect.stringMatching(/^pending#\d+$/),
      });
    },
    granted: { returned: 'ok' },
    grantedItem: async (_before, after) => {
      expect(after).toMatchObject({ syncState: 'synced', ack: ACK });
      expect(after).not.toHaveProperty('leaseOwner');
    },
  },
  {
    write: 'finishPush',
    guard: 'leaseOwner = :owner',
    fails: 'a lost lease (another pusher holds it now)',
    given: leased,
    breach: leaseTakenByB,
    act: finishSynced,
    // Nothing at all: not the state, not the ack, and the other pusher keeps its lease.
    refused: { returned: 'stale' },
    refusedItem: async (before, after) => {
      expect(after).toEqual(before);
      expect(after).toMatchObject({ leaseOwner: 'b' });
    },
    granted: { returned: 'ok' },
  },
  {
    write: 'finishPush',
    guard: 'leaseOwner = :owner',
    fails: 'an order with no item',
    given: leased,
    breach: deleteItem,
    act: finishSynced,
    refused: { returned: 'stale' },
    granted: { returned: 'ok' },
  },
  // revive: syncState = :dead
  {
    write: 'revive',
    guard: 'syncState = :dead',
    fails: 'an order that is not dead (revived already)',
    given: dead,
    breach: revive,
    act: revive,
    refused: { returned: false },
    granted: { returned: true },
    grantedItem: async (_before, after) => {
      expect(after).toMatchObject({
        syncState: 'pending',
        queueShard: expect.stringMatching(/^pending#\d+$/),
        attempts: 0,
      });
    },
  },
  {
    write: 'revive',
    guard: 'syncState = :dead',
    fails: 'an order with no item',
    given: dead,
    breach: deleteItem,
    act: revive,
    refused: { returned: false },
    granted: { returned: true },
  },
];

describe('the ledger conditional writes', () => {
  it.each(GUARDS)('$write: $guard fails for $fails', async (row) => {
    // Prepare
    const orderId = uniqueId('guard');
    const version = await row.given(orderId);
    await row.breach(orderId, version);
    const before = await rawItem(orderId);
    clock += 1000;

    // Act
    const answer = await answerOf(row.act(orderId, version));

    // Assess
    expect(answer).toEqual(row.refused);
    const after = await rawItem(orderId);
    if (row.refusedItem) await row.refusedItem(before, after, orderId);
    else expect(after).toEqual(before);
  });

  it.each(GUARDS)('$write: $guard holds without $fails, and the write takes effect', async (row) => {
    // Prepare
    const orderId = uniqueId('guard');
    const version = await row.given(orderId);
    const before = await rawItem(orderId);
    clock += 1000;

    // Act
    const answer = await answerOf(row.act(orderId, version));

    // Assess
    expect(answer).toEqual(row.granted);
    const after = await rawItem(orderId);
    expect(after).toBeDefined();
    if (row.grantedItem) await row.grantedItem(before, after, orderId);
    else expect(after).not.toEqual(before);
  });
});
