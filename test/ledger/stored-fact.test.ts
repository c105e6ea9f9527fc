import fc from 'fast-check';
import type { Fact } from '../../lib/events/types';
import { factFingerprint } from '../../lib/ledger/fingerprint';
import { foldKey, fromStoredFact, storedFingerprint, toStoredFact } from '../../lib/ledger/stored-fact';
import { compareFacts } from '../../lib/projection/facts';
import { snapshot } from '../helpers/facts';

const placed: Fact = {
  eventId: 'evt-1',
  kind: 'placed',
  source: 'merchant',
  orderId: 'o-1',
  occurredAt: 1764316800,
  order: snapshot(),
};

describe('foldKey', () => {
  it('sorts by UTF-8 bytes (as DynamoDB compares strings) exactly as the projection folds facts', () => {
    // Prepare: times often equal, eventIds from the whole of UTF-16 (lone surrogates and astral
    // characters included), often one a prefix of the other
    const time = fc.oneof(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    );
    const id = fc.string({ unit: 'binary', minLength: 1, maxLength: 6 });
    const pair = fc.tuple(
      time,
      time,
      id,
      fc.oneof(id, fc.string({ unit: 'binary', maxLength: 3 })),
      fc.boolean(),
    );
    fc.assert(
      fc.property(pair, ([t1, t2, id1, other, extend]) => {
        const a = { ...placed, occurredAt: t1, eventId: id1 };
        const b = { ...placed, occurredAt: t2, eventId: extend ? id1 + other : other };

        // Act
        const bytes = Buffer.compare(Buffer.from(foldKey(a), 'utf8'), Buffer.from(foldKey(b), 'utf8'));

        // Assess
        expect(bytes).toBe(Math.sign(compareFacts(a, b)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('stored facts', () => {
  it('keep neither the ids (the item has them) nor the snapshot, only its amount, and the fingerprint', () => {
    // Act
    const stored = toStoredFact(placed);

    // Assess
    expect(stored).toEqual({
      kind: 'placed',
      source: 'merchant',
      occurredAt: 1764316800,
      fingerprint: factFingerprint(placed),
      snapshotAmount: 2390,
    });
  });

  it.each<[string, 'held' | 'other' | 'none', Partial<Fact>]>([
    ['the holder of the latest snapshot gets it back whole', 'held', { order: placed.order }],
    ['a superseded one gets back what it computed', 'other', { snapshotAmount: 2390 }],
    ['with no snapshot held at all, the same', 'none', { snapshotAmount: 2390 }],
  ])('read back: %s', (_name, holder, expected) => {
    // Prepare
    const held =
      holder === 'none'
        ? undefined
        : { eventId: holder === 'held' ? 'evt-1' : 'evt-2', order: placed.order! };

    // Act
    const fact = fromStoredFact('o-1', 'evt-1', toStoredFact(placed), held);

    // Assess
    const { order: _order, ...bare } = placed;
    expect(fact).toEqual({ ...bare, ...expected });
  });

  it('read in the first release shape as they are, with the fingerprint they would have had', () => {
    // Act & Assess
    expect(fromStoredFact('o-1', 'evt-1', placed, undefined)).toBe(placed);
    expect(storedFingerprint(placed)).toBe(toStoredFact(placed).fingerprint);
  });
});
