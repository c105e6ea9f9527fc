import type { FactKind, OrderCategory } from '../../lib/events/types';
import type { MainStatus } from '../../lib/order-center/types';
import { fact, placed, refundRequested, snapshot, viewOf } from './builders';

type Step = [FactKind, number];

/** placed at 100 with the snapshot, then the steps (kind, occurredAt). */
function statusAfter(category: OrderCategory, steps: readonly Step[]): MainStatus {
  const facts = [placed(100, snapshot({ category })), ...steps.map(([kind, at]) => fact(kind, at))];
  return viewOf(facts).data.Status;
}

describe('main status', () => {
  describe.each<[OrderCategory, { paid: MainStatus; shipped: MainStatus }]>([
    ['physical', { paid: 5, shipped: 6 }],
    ['virtual', { paid: 2, shipped: 4 }],
  ])('%s order', (category, by) => {
    it.each<[string, Step[], MainStatus]>([
      ['placed only', [], 1],
      ['paid', [['paid', 200]], by.paid],
      [
        'paid, shipped',
        [
          ['paid', 200],
          ['shipped', 300],
        ],
        by.shipped,
      ],
      ['shipped without payment (cash on delivery)', [['shipped', 200]], by.shipped],
      [
        'paid, shipped, completed',
        [
          ['paid', 200],
          ['shipped', 300],
          ['completed', 400],
        ],
        200,
      ],
      ['completed only', [['completed', 200]], 200],
      ['closed while unpaid', [['closed', 200]], 100],
      [
        'paid, then closed',
        [
          ['paid', 200],
          ['closed', 300],
        ],
        100,
      ],
      [
        'completed, then closed',
        [
          ['completed', 200],
          ['closed', 300],
        ],
        100,
      ],
      [
        'a late paid after shipped',
        [
          ['shipped', 300],
          ['paid', 400],
        ],
        by.shipped,
      ],
      [
        'a paid that occurred before shipped but arrives after it',
        [
          ['shipped', 300],
          ['paid', 200],
        ],
        by.shipped,
      ],
      [
        'a late shipped after completed',
        [
          ['completed', 300],
          ['shipped', 400],
        ],
        200,
      ],
      [
        'a repeated placed after paid',
        [
          ['paid', 200],
          ['placed', 300],
        ],
        by.paid,
      ],
      [
        'closed, then a later paid',
        [
          ['closed', 200],
          ['paid', 300],
        ],
        100,
      ],
      [
        'closed, then a later completed',
        [
          ['closed', 200],
          ['completed', 300],
        ],
        100,
      ],
      [
        'closed in the same second as completed',
        [
          ['closed', 300],
          ['completed', 300],
        ],
        100,
      ],
    ])('%s', (_name, steps, expected) => {
      // Act
      const status = statusAfter(category, steps);

      // Assess
      expect(status).toBe(expected);
    });
  });

  it('is placed (1) when the only fact is not a status fact but brings the snapshot', () => {
    // Prepare
    const facts = [refundRequested(200, {}, { order: snapshot() })];

    // Act
    const view = viewOf(facts);

    // Assess
    expect(view.data.Status).toBe(1);
  });

  it.each<[OrderCategory, 1 | 2]>([
    ['physical', 1],
    ['virtual', 2],
  ])('maps a %s order to CateID %d', (category, cateId) => {
    // Act
    const view = viewOf([placed(100, snapshot({ category }))]);

    // Assess
    expect(view.data.CateID).toBe(cateId);
  });
});
