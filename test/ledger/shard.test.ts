import { allKeys, MAX_SYNC_SHARDS, queueKeyOf, shardKeys, shardOf } from '../../lib/ledger/shard';

describe('shardOf', () => {
  it.each([
    // FNV-1a 32 of "A" is 0xc40bf6cc (3289118412): the published test vector
    ['A', 16, 3289118412 % 16],
    ['A', 64, 3289118412 % 64],
    ['2221554346520', 16, 14],
    ['2221554346520', 64, 46],
    ['订单-1', 16, 2],
    ['', 16, 5],
    ['anything', 1, 0],
  ])('puts %s in shard %i of %i the same way every time', (orderId, shards, expected) => {
    expect(shardOf(orderId, shards)).toBe(expected);
  });

  it('spreads 10,000 order ids of one merchant evenly over 16 shards: none over 1.1 x its share', () => {
    // Prepare: ids as merchants make them (a common prefix, a counter)
    const counts = new Array<number>(16).fill(0);

    // Act
    for (let i = 0; i < 10_000; i++) counts[shardOf(`2221554${String(i).padStart(6, '0')}`, 16)]! += 1;

    // Assess
    expect(Math.max(...counts)).toBeLessThanOrEqual(1.1 * (10_000 / 16));
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(0.9 * (10_000 / 16));
  });
});

describe('queue keys', () => {
  it('names the index key <state>#<shard>', () => {
    expect(queueKeyOf('pending', 'A', 16)).toBe(`pending#${3289118412 % 16}`);
  });

  it.each([
    [0, 16, ['pending#0', 'pending#16', 'pending#32', 'pending#48', 'pending']],
    [5, 16, ['pending#5', 'pending#21', 'pending#37', 'pending#53']],
    [3, 64, ['pending#3']],
    [0, 64, ['pending#0', 'pending']],
  ])(
    'gives worker %i of %i its key, the keys a larger setting left, and (shard 0) the legacy one',
    (shard, shards, expected) => {
      expect(shardKeys('pending', shard, shards).map((k) => k.value)).toEqual(expected);
    },
  );

  it.each([1, 3, 16, 64])('lists every key once over all %i shards', (shards) => {
    const values = allKeys('dead', shards).map((k) => k.value);
    expect(new Set(values).size).toBe(values.length);
    expect(values).toHaveLength(MAX_SYNC_SHARDS + 1);
  });
});
