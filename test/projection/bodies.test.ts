import fc from 'fast-check';
import { validateCallBody } from '../../lib/order-center/schemas';
import type { OrderCenterCall, OrderData } from '../../lib/order-center/types';
import {
  addMainInfoBody,
  appendSubInfoBody,
  project,
  updateMainInfoBody,
  updateMainStatusBody,
  updateSubInfoBody,
  updateSubStatusBody,
} from '../../lib/projection';
import { InvalidInputError } from '../../lib/validation';
import { placed, refundRequested, refundUpdated, snapshot, viewOf, fact } from './builders';
import { LIFECYCLE_ORDER_ID, lifecycle } from './lifecycle.arbitrary';

/** Paid, with two refunds: R2 (created first, then refunded) and R1. */
function orderWithRefunds(): OrderData {
  return viewOf([
    placed(100),
    fact('paid', 150),
    refundRequested(200, { id: 'R2', createdAt: 190 }),
    refundRequested(300, { id: 'R1', createdAt: 290 }),
    refundUpdated(400, { id: 'R2', status: 'refunded' }),
  ]).data;
}

const KEY = { CateID: 1, BizAPPID: 'app-key-1', ResourceID: '2221554346520' };

describe('body builders', () => {
  it('add/main/info sends the whole order as the one Data item', () => {
    // Prepare
    const order = orderWithRefunds();

    // Act
    const body = addMainInfoBody(order);

    // Assess
    expect(body).toStrictEqual({ Data: [order] });
  });

  it('update/main/info sends each order without its after-sale orders, Title, Ctime or Mtime', () => {
    // Prepare
    const first = orderWithRefunds();
    const second = viewOf([placed(100, snapshot({ title: 'Pears' }))]).data;

    // Act
    const body = updateMainInfoBody([first, second]);

    // Assess
    expect(body).toStrictEqual({
      Data: [first, second].map((o) => ({
        ...KEY,
        Status: o.Status,
        EXT: { MainOrder: o.EXT.MainOrder },
      })),
    });
  });

  it('update/main/status sends key and Status of each order, no Mtime', () => {
    // Prepare
    const order = orderWithRefunds();

    // Act
    const body = updateMainStatusBody([order]);

    // Assess
    expect(body).toStrictEqual({ Data: [{ ...KEY, Status: 5 }] });
  });

  it.each([
    ['append/sub/info', appendSubInfoBody],
    ['update/sub/info', updateSubInfoBody],
  ])('%s sends exactly the named after-sale items, with the order SubsOrder.Status', (_call, build) => {
    // Prepare
    const order = orderWithRefunds();
    const [r2, r1] = order.EXT.SubsOrder!.Items;

    // Act
    const one = build(order, ['R1']);
    const both = build(order, ['R1', 'R2']);

    // Assess
    expect(one).toStrictEqual({ Data: [{ ...KEY, EXT: { SubsOrder: { Status: 402, Items: [r1] } } }] });
    expect(both).toStrictEqual({ Data: [{ ...KEY, EXT: { SubsOrder: { Status: 402, Items: [r2, r1] } } }] });
  });

  it('update/sub/status sends SubOrderID and SubStatus of the named items, no MTime', () => {
    // Prepare
    const order = orderWithRefunds();

    // Act
    const body = updateSubStatusBody(order, ['R2']);

    // Assess
    expect(body).toStrictEqual({
      Data: [
        {
          ...KEY,
          EXT: { SubsOrder: { Status: 402, Items: [{ SubOrderID: 'R2', SubStatus: 402 }] } },
        },
      ],
    });
  });

  describe.each([
    ['append/sub/info', appendSubInfoBody],
    ['update/sub/info', updateSubInfoBody],
    ['update/sub/status', updateSubStatusBody],
  ])('%s refuses', (_call, build) => {
    it.each<[string, () => OrderData, string[], string]>([
      ['an id the order does not have', orderWithRefunds, ['R1', 'R9'], 'subOrderIds[1]'],
      ['no id at all', orderWithRefunds, [], 'subOrderIds'],
      ['an order without after-sale orders', () => viewOf([placed(100)]).data, ['R1'], 'subOrderIds[0]'],
    ])('%s', (_name, order, ids, path) => {
      // Act
      const act = () => build(order(), ids);

      // Assess
      expect(act).toThrow(InvalidInputError);
      expect(act).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path })] }));
    });
  });

  it.each([
    ['update/main/info', updateMainInfoBody],
    ['update/main/status', updateMainStatusBody],
  ])('%s refuses an empty list of orders', (_call, build) => {
    // Act
    const act = () => build([]);

    // Assess
    expect(act).toThrow(
      expect.objectContaining({
        name: 'InvalidInputError',
        issues: [expect.objectContaining({ path: 'orders' })],
      }),
    );
  });
});

describe('bodies built from projected orders', () => {
  it('pass the Order Center schemas', () => {
    fc.assert(
      fc.property(lifecycle, (facts) => {
        // Prepare
        const projection = project(LIFECYCLE_ORDER_ID, facts, { bizAppId: 'app-key-1' });
        if (!projection.ready) return;
        const order = projection.view.data;
        const ids = order.EXT.SubsOrder?.Items.map((item) => item.SubOrderID) ?? [];
        const bodies: [OrderCenterCall, unknown][] = [
          ['add/main/info', addMainInfoBody(order)],
          ['update/main/info', updateMainInfoBody([order])],
          ['update/main/status', updateMainStatusBody([order])],
        ];
        if (ids.length > 0) {
          bodies.push(
            ['append/sub/info', appendSubInfoBody(order, ids)],
            ['update/sub/info', updateSubInfoBody(order, ids.slice(-1))],
            ['update/sub/status', updateSubStatusBody(order, ids)],
          );
        }

        // Act
        const issues = bodies.map(([call, body]) => ({ call, issues: validateCallBody(call, body) }));

        // Assess
        expect(issues).toEqual(bodies.map(([call]) => ({ call, issues: [] })));
      }),
      { numRuns: 300 },
    );
  });
});
