import { parseReconcileCommand } from '../../lib/reconcile';
import { InvalidInputError } from '../../lib/validation';

describe('parseReconcileCommand', () => {
  it.each([
    ['nothing', undefined, { kind: 'run' }],
    ['an empty object', {}, { kind: 'run' }],
    [
      'a scheduled event',
      { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} },
      { kind: 'run' },
    ],
    ['orders to push', { orderIds: ['A', ' B '] }, { kind: 'push', orderIds: ['A', 'B'], force: false }],
    [
      'orders to resend whole',
      { orderIds: ['A'], force: true },
      { kind: 'push', orderIds: ['A'], force: true },
    ],
    ['a dry run', { dryRun: true }, { kind: 'dryRun', force: false }],
    [
      'a dry run of named orders',
      { dryRun: true, orderIds: ['A'] },
      { kind: 'dryRun', orderIds: ['A'], force: false },
    ],
    ['revive', { revive: true }, { kind: 'revive' }],
    ['a report', { report: true }, { kind: 'report' }],
    ['a worker run', { shard: 7 }, { kind: 'worker', shard: 7 }],
    [
      'the next page of a report',
      { report: true, cursor: 'eyJzIjoxfQ' },
      { kind: 'report', cursor: 'eyJzIjoxfQ' },
    ],
    [
      'the next page of a dry run',
      { dryRun: true, cursor: 'abc' },
      { kind: 'dryRun', force: false, cursor: 'abc' },
    ],
    ['the next page of revive', { revive: true, cursor: 'abc' }, { kind: 'revive', cursor: 'abc' }],
  ])('reads %s', (_label, event, expected) => {
    // Act & Assess
    expect(parseReconcileCommand(event)).toEqual(expected);
  });

  it.each([
    ['an unknown field', { orderId: 'A' }, 'orderId'],
    ['orderIds not an array', { orderIds: 'A' }, 'orderIds'],
    ['an empty id', { orderIds: ['A', ''] }, 'orderIds[1]'],
    ['a numeric id', { orderIds: [42] }, 'orderIds[0]'],
    ['no ids', { orderIds: [] }, 'orderIds'],
    ['force given as a string', { orderIds: ['A'], force: 'yes' }, 'force'],
    ['two operations at once', { dryRun: true, report: true }, ''],
    ['force without orders', { force: true }, ''],
    ['an array', [1, 2], ''],
    ['a shard out of range', { shard: 64 }, 'shard'],
    ['a fractional shard', { shard: 1.5 }, 'shard'],
    ['a shard with another command', { shard: 1, report: true }, ''],
    ['a cursor of nothing to page', { cursor: 'abc' }, ''],
    ['a cursor with named orders', { dryRun: true, orderIds: ['A'], cursor: 'abc' }, ''],
    ['a cursor that is not ours', { report: true, cursor: 'a b' }, 'cursor'],
    ['an id with whitespace inside', { orderIds: ['A B'] }, 'orderIds[0]'],
  ])('refuses %s, naming the field', (_label, event, path) => {
    // Act
    const error = (() => {
      try {
        parseReconcileCommand(event);
      } catch (e) {
        return e;
      }
      return undefined;
    })();

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues.map((i) => i.path)).toContain(path);
  });
});
