import type { OrderData, SubOrderItem } from '../../lib/order-center/types';
import { applyCall, plan, type PlannedCall } from '../../lib/sync/plan';

function refund(id: string, overrides: Partial<SubOrderItem> = {}): SubOrderItem {
  return {
    SubOrderID: id,
    SubStatus: 400,
    CTime: 1764330000,
    MTime: 1764330000,
    OrderType: 1,
    Refund: { Amount: 10, Product: [{ ID: '1014093064', Quantity: 1, Amount: 10 }] },
    ...overrides,
  };
}

function order(overrides: Partial<OrderData> = {}, subs?: SubOrderItem[]): OrderData {
  const base: OrderData = {
    ResourceID: '2221554346520',
    BizAPPID: 'app-key',
    CateID: 1,
    Title: 'test',
    Ctime: 1764316000,
    Mtime: 1764316800,
    Status: 5,
    EXT: {
      MainOrder: {
        Products: [{ ID: '1014093064', Name: '苹果', Quantity: 1, Price: 2390, PayPrice: 2390 }],
        Payment: { Method: 1, Amount: 2390, IsPayment: true, Time: 1764316800 },
      },
    },
    ...overrides,
  };
  if (subs) {
    const latest = [...subs].sort((a, b) => b.MTime - a.MTime)[0]!;
    base.EXT = { ...base.EXT, SubsOrder: { Status: latest.SubStatus, Items: subs } };
  }
  return base;
}

const paid = order();
const renamed = order({ Title: 'renamed' });
const shipped = order({ Status: 6, Mtime: 1764320000 });
const touched = order({ Mtime: 1764320000 });
const shippedAndRenamed = order({ Status: 6, Mtime: 1764320000, Title: 'renamed' });
const repriced = order({
  EXT: {
    MainOrder: {
      ...paid.EXT.MainOrder,
      Products: [{ ID: '1014093064', Name: '苹果', Quantity: 2, Price: 2390, PayPrice: 2390 }],
      Payment: { ...paid.EXT.MainOrder.Payment, Amount: 4780 },
    },
  },
});
const oneRefund = order({}, [refund('R1')]);
const twoRefunds = order({}, [refund('R1'), refund('R2', { CTime: 1764330500, MTime: 1764330500 })]);
const refundProcessing = order({}, [refund('R1', { SubStatus: 401, MTime: 1764331000 })]);
const refundRewritten = order({}, [refund('R1', { OrderType: 3, MTime: 1764331000 })]);
const shippedWithRefund = order({ Status: 6, Mtime: 1764331000 }, [
  refund('R1', { SubStatus: 402, MTime: 1764331000 }),
]);

describe('plan', () => {
  it.each<[string, OrderData | undefined, OrderData, PlannedCall[]]>([
    ['nothing acknowledged: the whole order', undefined, oneRefund, [{ call: 'add/main/info' }]],
    ['nothing changed: no call', paid, order(), []],
    ['status only', paid, shipped, [{ call: 'update/main/status' }]],
    ['modification time only', paid, touched, [{ call: 'update/main/status' }]],
    ['title changed', paid, renamed, [{ call: 'update/main/info' }]],
    ['products changed', paid, repriced, [{ call: 'update/main/info' }]],
    [
      'content and status changed: one update/main/info carries both',
      paid,
      shippedAndRenamed,
      [{ call: 'update/main/info' }],
    ],
    ['a new after-sale order', paid, oneRefund, [{ call: 'append/sub/info', subOrderIds: ['R1'] }]],
    ['a second after-sale order', oneRefund, twoRefunds, [{ call: 'append/sub/info', subOrderIds: ['R2'] }]],
    [
      'after-sale status only',
      oneRefund,
      refundProcessing,
      [{ call: 'update/sub/status', subOrderIds: ['R1'] }],
    ],
    [
      'after-sale content changed',
      oneRefund,
      refundRewritten,
      [{ call: 'update/sub/info', subOrderIds: ['R1'] }],
    ],
    [
      'main status and after-sale status',
      oneRefund,
      shippedWithRefund,
      [{ call: 'update/main/status' }, { call: 'update/sub/status', subOrderIds: ['R1'] }],
    ],
    [
      'an after-sale order Baidu has but we do not: rewrite whole',
      oneRefund,
      paid,
      [{ call: 'add/main/info' }],
    ],
    ['category changed: rewrite whole', paid, order({ CateID: 2, Status: 2 }), [{ call: 'add/main/info' }]],
  ])('%s', (_label, acked, desired, expected) => {
    // Act
    const calls = plan(acked, desired);

    // Assess
    expect(calls).toEqual(expected);
  });

  it('resends the whole order when forced, even if nothing changed', () => {
    // Act & Assess
    expect(plan(paid, order(), { force: true })).toEqual([{ call: 'add/main/info' }]);
  });
});

describe('applyCall', () => {
  it.each<[string, OrderData | undefined, OrderData]>([
    ['from nothing', undefined, twoRefunds],
    ['status', paid, shipped],
    ['content and status', paid, shippedAndRenamed],
    ['new after-sale orders', paid, twoRefunds],
    ['a second after-sale order', oneRefund, twoRefunds],
    ['after-sale status', oneRefund, refundProcessing],
    ['after-sale content', oneRefund, refundRewritten],
    ['main and after-sale status', oneRefund, shippedWithRefund],
  ])(
    'applying the plan %s reaches the desired order, and then nothing is left to send',
    (_label, acked, desired) => {
      // Act
      const reached = plan(acked, desired).reduce<OrderData | undefined>(
        (state, step) => applyCall(state, desired, step),
        acked,
      );

      // Assess
      expect(reached).toEqual(desired);
      expect(plan(reached, desired)).toEqual([]);
    },
  );

  it('a status update leaves the content Baidu has alone', () => {
    // Act
    const next = applyCall(renamed, shipped, { call: 'update/main/status' });

    // Assess
    expect(next).toEqual({ ...renamed, Status: 6, Mtime: 1764320000 });
  });
});
