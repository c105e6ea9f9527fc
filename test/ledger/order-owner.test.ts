import type { Fact } from '../../lib/events/types';
import { createDynamoLedger } from '../../lib/ledger/dynamo-ledger';
import type { Ledger, RecordResult } from '../../lib/ledger/types';
import { createLedgerTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamo';
import { fact, snapshot, uniqueId } from '../helpers/facts';
import { recordFirstReleaseFact } from './first-release';

/**
 * The order's owner (CONTRACT section 3) is a condition of the ledger's write: no read before it, and no
 * window between a check and the write for another user's snapshot.
 */
let dynamo: LocalDynamo;
let ledger: Ledger;
const tableName = uniqueId('owner');
const AT = 1_764_316_800_000;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await createLedgerTable(dynamo.client, tableName);
  ledger = createDynamoLedger({ client: dynamo.client, tableName, now: () => AT });
});

afterAll(async () => {
  await dynamo.stop();
});

const placed = (orderId: string, openId: string, eventId: string, occurredAt = 1764316000): Fact =>
  fact({ orderId, eventId, occurredAt, order: snapshot({ openId }) });
const shipped = (orderId: string): Fact => fact({ orderId, kind: 'shipped' });

describe('recordFact: the order owner', () => {
  // [name, facts recorded first, the new fact, how recording it ends]
  it.each<[string, (orderId: string) => Fact[], (orderId: string) => Fact, RecordResult['outcome']]>([
    ['a new order', () => [], (o) => placed(o, 'user-b', 'e2'), 'recorded'],
    [
      'an order with facts but no snapshot yet (a notify first)',
      (o) => [shipped(o)],
      (o) => placed(o, 'user-b', 'e2'),
      'recorded',
    ],
    [
      'the same user again, new eventId',
      (o) => [placed(o, 'user-a', 'e1')],
      (o) => placed(o, 'user-a', 'e2'),
      'recorded',
    ],
    [
      'another user, new eventId',
      (o) => [placed(o, 'user-a', 'e1')],
      (o) => placed(o, 'user-b', 'e2'),
      'owner-conflict',
    ],
    [
      'another user on any event that carries a snapshot',
      (o) => [placed(o, 'user-a', 'e1')],
      (o) => ({ ...shipped(o), order: snapshot({ openId: 'user-b' }) }),
      'owner-conflict',
    ],
    [
      'another user in a snapshot older than the one held (the superseded write)',
      (o) => [placed(o, 'user-a', 'e1', 300)],
      (o) => placed(o, 'user-b', 'e0', 100),
      'owner-conflict',
    ],
    [
      'an earlier snapshot that arrived later, then another user',
      (o) => [placed(o, 'user-a', 'e1', 200), placed(o, 'user-a', 'e0', 100)],
      (o) => placed(o, 'user-b', 'e3', 300),
      'owner-conflict',
    ],
    ['a fact without snapshot', (o) => [placed(o, 'user-a', 'e1')], (o) => shipped(o), 'recorded'],
    // duplicates first: an eventId already recorded is decided by its content, never refused as an owner change
    [
      'an exact re-delivery',
      (o) => [placed(o, 'user-a', 'e1')],
      (o) => placed(o, 'user-a', 'e1'),
      'duplicate',
    ],
    [
      'an eventId already recorded, with another user',
      (o) => [placed(o, 'user-a', 'e1')],
      (o) => placed(o, 'user-b', 'e1'),
      'conflict',
    ],
  ])('%s', async (_name, recordedFirst, incoming, outcome) => {
    // Prepare
    const orderId = uniqueId('owner-order');
    for (const f of recordedFirst(orderId)) expect((await ledger.recordFact(f)).outcome).toBe('recorded');
    const before = await ledger.get(orderId);

    // Act
    const result = await ledger.recordFact(incoming(orderId));

    // Assess: a refusal names the owner and changes nothing
    expect(result.outcome).toBe(outcome);
    if (outcome === 'owner-conflict') expect(result).toEqual({ outcome, owner: 'user-a' });
    if (outcome !== 'recorded') expect(await ledger.get(orderId)).toEqual(before);
  });

  it('holds for an order the first release recorded', async () => {
    // Prepare
    const orderId = uniqueId('owner-order');
    await recordFirstReleaseFact(dynamo.client, tableName, placed(orderId, 'user-a', 'e1'), AT);

    // Act
    const other = await ledger.recordFact(placed(orderId, 'user-b', 'e2'));
    const same = await ledger.recordFact(placed(orderId, 'user-a', 'e3'));

    // Assess
    expect(other).toEqual({ outcome: 'owner-conflict', owner: 'user-a' });
    expect(same.outcome).toBe('recorded');
    const item = await ledger.get(orderId);
    expect(item?.facts.map((f) => f.eventId).sort()).toEqual(['e1', 'e3']);
  });

  it('lets one of two users win a new order whose snapshots are written at once, never both', async () => {
    // Prepare: 20 new orders, each placed by two users at the same moment
    const orders = Array.from({ length: 20 }, () => uniqueId('owner-race'));

    // Act
    const results = await Promise.all(
      orders.map((orderId) =>
        Promise.all([
          ledger.recordFact(placed(orderId, 'user-a', 'ea')),
          ledger.recordFact(placed(orderId, 'user-b', 'eb')),
        ]),
      ),
    );

    // Assess: one recorded, the other refused naming the winner; the item holds the winner's fact alone
    for (const [i, [a, b]] of results.entries()) {
      const outcomes = [a.outcome, b.outcome].sort();
      expect(outcomes).toEqual(['owner-conflict', 'recorded']);
      const winner = a.outcome === 'recorded' ? 'user-a' : 'user-b';
      expect(a.outcome === 'recorded' ? b : a).toEqual({ outcome: 'owner-conflict', owner: winner });
      const item = await ledger.get(orders[i]!);
      expect(item?.facts.map((f) => f.order?.openId)).toEqual([winner]);
      expect(item?.openId).toBe(winner);
      expect(item?.version).toBe(1);
    }
  });
});
