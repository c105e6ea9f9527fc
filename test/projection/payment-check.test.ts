import type { Fact } from '../../lib/events/types';
import { nextPaymentCheck, paymentCheckPoints, project, type OrderView } from '../../lib/projection';
import { CONFIG, ORDER_ID, cashier, cashierPaid, fact, placed, snapshot } from './builders';

// Placed at 50 s (builders' snapshot createdAt): the schedule counts from there.
const PLACED_MS = 50_000;
const MIN = 60_000;

function viewOf(facts: readonly Fact[]): OrderView {
  const projection = project(ORDER_ID, facts, CONFIG);
  if (!projection.ready) throw new Error('expected a ready projection');
  return projection.view;
}

const cancelled = (occurredAt: number): Fact =>
  fact('closed', occurredAt, {
    eventId: 'cashier:c-1:-1',
    source: 'cashier',
    reason: 'cashier: cancelled',
    cashier: cashier({ status: -1, payTime: 0 }),
  });

describe('the payment check schedule (CONTRACT section 5c)', () => {
  it.each<[number, number[]]>([
    [15, [15, 60, 360, 1440]],
    [1, [1, 15, 60, 360, 1440]],
    [60, [60, 360, 1440]],
    [120, [120, 360, 1440]],
    [2000, [2000]],
  ])('PAYMENT_CHECK_AFTER_MINUTES %i asks at %j minutes', (after, points) => {
    expect(paymentCheckPoints(after)).toEqual(points);
  });

  // [name, facts, lastAskedAt, due (epoch ms) or undefined]
  it.each<[string, Fact[], number | undefined, number | undefined]>([
    ['an unpaid order, never asked: 15 min after placing', [placed(50)], undefined, PLACED_MS + 15 * MIN],
    ['asked at 15 min: next at 1 h', [placed(50)], PLACED_MS + 15 * MIN, PLACED_MS + 60 * MIN],
    [
      'asked late, at 2 h: next at 6 h, not the missed 1 h',
      [placed(50)],
      PLACED_MS + 120 * MIN,
      PLACED_MS + 360 * MIN,
    ],
    ['asked at 24 h: never again', [placed(50)], PLACED_MS + 1440 * MIN, undefined],
    ['paid by the merchant: never', [placed(50), fact('paid', 60)], undefined, undefined],
    ['paid by the cashier: never', [placed(50), cashierPaid(60, 2000)], undefined, undefined],
    [
      'a cashier amount that differs does not pay: still asked',
      [placed(50), cashierPaid(60, 1)],
      undefined,
      PLACED_MS + 15 * MIN,
    ],
    ['closed by the merchant: never', [placed(50), fact('closed', 60)], undefined, undefined],
    ['shipped (cash on delivery or not): never', [placed(50), fact('shipped', 60)], undefined, undefined],
    [
      'paid on delivery: the cashier has nothing to say',
      [placed(50, snapshot({ paymentMethod: 'cash-on-delivery' }))],
      undefined,
      undefined,
    ],
    ['a cashier cancel: due at the cancel', [placed(50), cancelled(70)], undefined, 70_000],
    [
      'a cashier cancel already asked about: back on the schedule',
      [placed(50), cancelled(70)],
      80_000,
      PLACED_MS + 15 * MIN,
    ],
    [
      'a cancel after the schedule ended: asked once more',
      [placed(50), cancelled(100_000)],
      PLACED_MS + 1440 * MIN,
      100_000_000,
    ],
  ])('%s', (_name, facts, lastAskedAt, due) => {
    expect(nextPaymentCheck({ view: viewOf(facts), facts, lastAskedAt, afterMinutes: 15 })).toBe(due);
  });
});
