import type { Fact } from '../../lib/events/types';
import { checkOrderOwner, OrderOwnerChangedError, orderOwner } from '../../lib/order-owner';
import { fact, snapshot } from '../helpers/facts';

const ORDER_ID = 'owner-order-1';

const placed = (openId: string, eventId: string, occurredAt = 1764316000): Fact =>
  fact({ orderId: ORDER_ID, eventId, occurredAt, order: snapshot({ openId }) });
const shipped = (): Fact => fact({ orderId: ORDER_ID, kind: 'shipped' });

describe('checkOrderOwner', () => {
  // [name, facts recorded (undefined: no order yet), the new fact, refused]
  it.each<[string, Fact[] | undefined, Fact, boolean]>([
    ['a new order', undefined, placed('user-b', 'e2'), false],
    ['an order with facts but no snapshot yet (a notify first)', [shipped()], placed('user-b', 'e2'), false],
    ['the same user again, new eventId', [placed('user-a', 'e1')], placed('user-a', 'e2'), false],
    ['another user, new eventId', [placed('user-a', 'e1')], placed('user-b', 'e2'), true],
    [
      'another user on any event that carries a snapshot',
      [placed('user-a', 'e1')],
      { ...shipped(), order: snapshot({ openId: 'user-b' }) },
      true,
    ],
    ['a fact without snapshot', [placed('user-a', 'e1')], shipped(), false],
    // the duplicate decision is the ledger's: an eventId already recorded is never refused here
    ['an eventId already recorded', [placed('user-a', 'e1')], placed('user-b', 'e1'), false],
    // the first snapshot in fold order owns the order, whatever arrived first
    [
      'an earlier snapshot that arrived later',
      [placed('user-a', 'e1', 200), placed('user-a', 'e0', 100)],
      placed('user-b', 'e3', 300),
      true,
    ],
  ])('%s', (_name, recorded, incoming, refused) => {
    // Act
    const act = () => checkOrderOwner(recorded && { orderId: ORDER_ID, facts: recorded }, incoming);

    // Assess
    if (refused) {
      expect(act).toThrow(OrderOwnerChangedError);
      try {
        act();
      } catch (err) {
        expect((err as OrderOwnerChangedError).issues).toEqual([
          { path: 'order.openId', message: expect.stringContaining(ORDER_ID) },
        ]);
      }
    } else expect(act).not.toThrow();
  });

  it('takes the owner from the first snapshot in fold order', () => {
    const facts = [placed('user-late', 'e2', 300), placed('user-first', 'e1', 100)];
    expect(orderOwner({ orderId: ORDER_ID, facts })).toBe('user-first');
  });
});
