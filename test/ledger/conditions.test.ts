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
import type { Fact } from '../../lib/events/types';
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
const placed = (orderId: string, occurredAt = 100) => fact({ orderId, occurredAt, order: snapshot() });
const revision = (orderId: string, occurredAt: number) =>
  fact({ orderId, occurredAt, order: snapshot({ title: `revision ${occurredAt}` }) });
const paid = (orderId: string) => fact({ orderId, kind: 'paid', occurredAt: 110, payment: { paidAt: 110 } });
const conflictNote = (eventId: string): RecordedAnomaly & { fingerprint: string } => ({
  code: 'event-id-conflict',
  eventId,
  detail: 'other content fp-a',
  fingerprint: 'fp-a',
});

/** A recorded order whose push lease `owner` holds; returns the version the push read. */
async function leased(orderId: string, owner = 'a'): Promise<number> {
  await ledger.recordFact(placed(orderId));
  const item = await ledger.acquireLease(orderId, owner, clock + LEASE_MS);
  if (typeof item === 'string') throw new Error(`could not lease ${orderId}: ${item}`);
  return item.version;
}

/** Another pusher takes the lease once ours has expired. */
async function leaseTakenByB(orderId: string): Promise<void> {
  clock += LEASE_MS + 1;
  await ledger.acquireLease(orderId, 'b', clock + LEASE_MS);
}

const facts = async (orderId: string): Promise<string[]> =>
  ((await ledger.get(orderId))?.facts ?? []).map((f) => f.eventId).sort();

interface Steps {
  given(): Promise<void>;
  breach(): Promise<void>;
  act(): Promise<unknown>;
}

interface GuardCase {
  /** the ledger write */
  write: string;
  /** the clause of its ConditionExpression */
  guard: string;
  /** the case that must fail it */
  fails: string;
  steps(orderId: string): Steps;
  refused: unknown;
  /** the item after the refused write; default: as it was before the write */
  refusedItem?(before: Raw, after: Raw, orderId: string): Promise<void>;
  granted: unknown;
  /** the item after the granted write; default: not as it was */
  grantedItem?(before: Raw, after: Raw, orderId: string): Promise<void>;
}

const GUARDS: GuardCase[] = [
  // recordFact: attribute_not_exists(f#<eventId>)
  ((): GuardCase => {
    let repeated: Fact;
    return {
      write: 'recordFact',
      guard: 'attribute_not_exists(f#<eventId>)',
      fails: 'a duplicate fact (same eventId, same content)',
      steps: (orderId) => ({
        given: async () => {
          await ledger.recordFact(placed(orderId));
          repeated = paid(orderId);
        },
        breach: async () => void (await ledger.recordFact(repeated)),
        act: () => ledger.recordFact(structuredClone(repeated)),
      }),
      refused: { returned: { outcome: 'duplicate', syncState: 'pending' } },
      granted: { returned: { outcome: 'recorded' } },
    };
  })(),
  ((): GuardCase => {
    let first: Fact;
    return {
      write: 'recordFact',
      guard: 'attribute_not_exists(f#<eventId>)',
      fails: 'a reused eventId with other content',
      steps: (orderId) => ({
        given: async () => {
          await ledger.recordFact(placed(orderId));
          first = paid(orderId);
        },
        breach: async () => void (await ledger.recordFact(first)),
        act: () => ledger.recordFact({ ...first, payment: { paidAt: 111 } }),
      }),
      refused: { returned: expect.objectContaining({ outcome: 'conflict', syncState: 'pending' }) },
      granted: { returned: { outcome: 'recorded' } },
    };
  })(),
  // recordFact with a snapshot: attribute_not_exists(snapshotKey) OR snapshotKey < :key
  ((): GuardCase => {
    let held: Fact;
    let late: Fact;
    return {
      write: 'recordFact (snapshot)',
      guard: 'snapshotKey < :key',
      fails: 'a snapshot older than the one held',
      steps: (orderId) => ({
        given: async () => {
          await ledger.recordFact(revision(orderId, 100));
          late = revision(orderId, 200);
        },
        breach: async () => {
          held = revision(orderId, 300);
          await ledger.recordFact(held);
        },
        act: () => ledger.recordFact(late),
      }),
      // The fact is recorded (its amount stays); only the held snapshot is not replaced.
      refused: { returned: { outcome: 'recorded' } },
      refusedItem: async (before, after, orderId) => {
        expect(after).toMatchObject({ snapshotEventId: held.eventId, snapshot: held.order });
        expect(after?.snapshotKey).toEqual(before?.snapshotKey);
        expect(await facts(orderId)).toContain(late.eventId);
      },
      granted: { returned: { outcome: 'recorded' } },
      grantedItem: async (_before, after) => {
        expect(after).toMatchObject({ snapshotEventId: late.eventId, snapshot: late.order });
      },
    };
  })(),
  // the archive: version = :version
  ((): GuardCase => {
    let intruder: Fact;
    let second: Fact;
    return {
      write: 'archive (inside recordFact)',
      guard: 'version = :version',
      fails: 'a fact recorded between its read and its write (version moved)',
      steps: (orderId) => ({
        given: async () => {
          await archiving.recordFact(placed(orderId));
          intruder = fact({ orderId, kind: 'shipped', occurredAt: 150 });
          second = paid(orderId);
        },
        breach: async () => {
          interleave = {
            condition: 'version = :version',
            run: async () => void (await ledger.recordFact(intruder)),
          };
        },
        act: () => archiving.recordFact(second),
      }),
      // The fact is recorded all the same; the facts stay whole, none is lost, and none is archived.
      refused: { returned: { outcome: 'recorded' } },
      refusedItem: async (_before, after, orderId) => {
        expect(interleave).toBeUndefined();
        expect(after).not.toHaveProperty('archive');
        expect(Object.keys(after ?? {}).filter((k) => k.startsWith('f#'))).toHaveLength(3);
        expect(await facts(orderId)).toHaveLength(3);
      },
      granted: { returned: { outcome: 'recorded' } },
      grantedItem: async (_before, after, orderId) => {
        expect(after).toHaveProperty('archive');
        expect(await facts(orderId)).toHaveLength(2);
      },
    };
  })(),
  // noteConflict: attribute_exists(orderId) AND NOT contains(conflictKeys, :key)
  {
    write: 'noteConflict',
    guard: 'attribute_exists(orderId)',
    fails: 'an order with no item',
    steps: (orderId) => ({
      given: async () => void (await ledger.recordFact(placed(orderId))),
      breach: () => deleteItem(orderId),
      act: () => ledger.noteConflict(orderId, conflictNote('cashier:1:2')),
    }),
    refused: { returned: undefined },
    granted: { returned: undefined },
  },
  {
    write: 'noteConflict',
    guard: 'NOT contains(conflictKeys, :key)',
    fails: 'a conflict noted already (Baidu retries)',
    steps: (orderId) => ({
      given: async () => void (await ledger.recordFact(placed(orderId))),
      breach: () => ledger.noteConflict(orderId, conflictNote('cashier:1:2')),
      act: () => ledger.noteConflict(orderId, conflictNote('cashier:1:2')),
    }),
    refused: { returned: undefined },
    granted: { returned: undefined },
  },
  // acquireLease: attribute_exists(orderId) AND (no lease OR expired OR ours)
  {
    write: 'acquireLease',
    guard: 'attribute_exists(orderId)',
    fails: 'an order with no item',
    steps: (orderId) => ({
      given: async () => void (await ledger.recordFact(placed(orderId))),
      breach: () => deleteItem(orderId),
      act: () => ledger.acquireLease(orderId, 'a', clock + LEASE_MS),
    }),
    refused: { returned: 'missing' },
    granted: { returned: expect.objectContaining({ leaseOwner: 'a' }) },
  },
  {
    write: 'acquireLease',
    guard: 'leaseUntil < :now OR leaseOwner = :owner',
    fails: "another pusher's unexpired lease",
    steps: (orderId) => ({
      given: async () => void (await ledger.recordFact(placed(orderId))),
      breach: async () => void (await ledger.acquireLease(orderId, 'b', clock + LEASE_MS)),
      act: () => ledger.acquireLease(orderId, 'a', clock + LEASE_MS),
    }),
    refused: { returned: 'busy' },
    granted: { returned: expect.objectContaining({ leaseOwner: 'a' }) },
  },
  // saveAck: leaseOwner = :owner
  {
    write: 'saveAck',
    guard: 'leaseOwner = :owner',
    fails: 'a lost lease (it expired and another pusher took it)',
    steps: (orderId) => ({
      given: async () => void (await leased(orderId)),
      breach: () => leaseTakenByB(orderId),
      act: () => ledger.saveAck(orderId, 'a', ACK),
    }),
    refused: { threw: 'LeaseLostError' },
    granted: { returned: undefined },
  },
  ((): GuardCase => {
    let version = 0;
    return {
      write: 'saveAck',
      guard: 'leaseOwner = :owner',
      fails: 'a lease released (the push finished)',
      steps: (orderId) => ({
        given: async () => void (version = await leased(orderId)),
        breach: async () => {
          await ledger.finishPush(orderId, 'a', version, {
            syncState: 'synced',
            attempts: 0,
            nextAttemptAt: clock,
          });
        },
        act: () => ledger.saveAck(orderId, 'a', ACK),
      }),
      refused: { threw: 'LeaseLostError' },
      granted: { returned: undefined },
    };
  })(),
  {
    write: 'saveAck',
    guard: 'leaseOwner = :owner',
    fails: 'an order with no item',
    steps: (orderId) => ({
      given: async () => void (await leased(orderId)),
      breach: () => deleteItem(orderId),
      act: () => ledger.saveAck(orderId, 'a', ACK),
    }),
    refused: { threw: 'LeaseLostError' },
    granted: { returned: undefined },
  },
  // finishPush: leaseOwner = :owner AND version = :version, then (stale) leaseOwner = :owner
  ((): GuardCase => {
    let version = 0;
    return {
      write: 'finishPush',
      guard: 'version = :version',
      fails: 'a fact recorded during the push (version moved)',
      steps: (orderId) => ({
        given: async () => void (version = await leased(orderId)),
        breach: async () => void (await ledger.recordFact(paid(orderId))),
        act: () => ledger.finishPush(orderId, 'a', version, SYNCED_WITH_ACK),
      }),
      // Stale: the order stays pending and due; only the lease goes, and what Baidu confirmed is kept.
      refused: { returned: 'stale' },
      refusedItem: async (before, after) => {
        const { leaseOwner: _owner, leaseUntil: _until, ...rest } = before ?? {};
        expect(after).toEqual({ ...rest, ack: ACK });
        expect(after).toMatchObject({ syncState: 'pending', syncQueue: 'pending' });
      },
      granted: { returned: 'ok' },
      grantedItem: async (_before, after) => {
        expect(after).toMatchObject({ syncState: 'synced', ack: ACK });
        expect(after).not.toHaveProperty('leaseOwner');
      },
    };
  })(),
  ((): GuardCase => {
    let version = 0;
    return {
      write: 'finishPush',
      guard: 'leaseOwner = :owner',
      fails: 'a lost lease (another pusher holds it now)',
      steps: (orderId) => ({
        given: async () => void (version = await leased(orderId)),
        breach: () => leaseTakenByB(orderId),
        act: () => ledger.finishPush(orderId, 'a', version, SYNCED_WITH_ACK),
      }),
      // Nothing at all: not the state, not the ack, and the other pusher keeps its lease.
      refused: { returned: 'stale' },
      refusedItem: async (before, after) => {
        expect(after).toEqual(before);
        expect(after).toMatchObject({ leaseOwner: 'b' });
      },
      granted: { returned: 'ok' },
    };
  })(),
  ((): GuardCase => {
    let version = 0;
    return {
      write: 'finishPush',
      guard: 'leaseOwner = :owner',
      fails: 'an order with no item',
      steps: (orderId) => ({
        given: async () => void (version = await leased(orderId)),
        breach: () => deleteItem(orderId),
        act: () => ledger.finishPush(orderId, 'a', version, SYNCED_WITH_ACK),
      }),
      refused: { returned: 'stale' },
      granted: { returned: 'ok' },
    };
  })(),
  // revive: syncState = :dead
  ((): GuardCase => {
    let version = 0;
    const dead = async (orderId: string) => {
      version = await leased(orderId);
      await ledger.finishPush(orderId, 'a', version, {
        syncState: 'dead',
        attempts: 10,
        nextAttemptAt: clock,
      });
    };
    return {
      write: 'revive',
      guard: 'syncState = :dead',
      fails: 'an order that is not dead (revived already)',
      steps: (orderId) => ({
        given: () => dead(orderId),
        breach: async () => void (await ledger.revive(orderId)),
        act: () => ledger.revive(orderId),
      }),
      refused: { returned: false },
      granted: { returned: true },
      grantedItem: async (_before, after) => {
        expect(after).toMatchObject({ syncState: 'pending', syncQueue: 'pending', attempts: 0 });
      },
    };
  })(),
  {
    write: 'revive',
    guard: 'syncState = :dead',
    fails: 'an order with no item',
    steps: (orderId) => ({
      given: async () => {
        const version = await leased(orderId);
        await ledger.finishPush(orderId, 'a', version, {
          syncState: 'dead',
          attempts: 10,
          nextAttemptAt: clock,
        });
      },
      breach: () => deleteItem(orderId),
      act: () => ledger.revive(orderId),
    }),
    refused: { returned: false },
    granted: { returned: true },
  },
];

describe('the ledger conditional writes', () => {
  it.each(GUARDS)('$write: $guard fails for $fails', async (row) => {
    // Prepare
    const orderId = uniqueId('guard');
    const steps = row.steps(orderId);
    await steps.given();
    await steps.breach();
    const before = await rawItem(orderId);
    clock += 1000;

    // Act
    const answer = await answerOf(steps.act());

    // Assess
    expect(answer).toEqual(row.refused);
    const after = await rawItem(orderId);
    if (row.refusedItem) await row.refusedItem(before, after, orderId);
    else expect(after).toEqual(before);
  });

  it.each(GUARDS)('$write: $guard holds without $fails, and the write takes effect', async (row) => {
    // Prepare
    const orderId = uniqueId('guard');
    const steps = row.steps(orderId);
    await steps.given();
    const before = await rawItem(orderId);
    clock += 1000;

    // Act
    const answer = await answerOf(steps.act());

    // Assess
    expect(answer).toEqual(row.granted);
    const after = await rawItem(orderId);
    expect(after).toBeDefined();
    if (row.grantedItem) await row.grantedItem(before, after, orderId);
    else expect(after).not.toEqual(before);
  });
});
