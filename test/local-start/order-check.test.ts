import type { OrderData, SubOrderItem } from '../../lib/order-center/types';
import type { StoredOrder } from '../../local/order-center/store';
import { describeOrder, differences, normalizedOrder } from '../../local/start/order-check';

const sub = (id: string, status: SubOrderItem['SubStatus'], amount?: number): SubOrderItem => ({
  SubOrderID: id,
  SubStatus: status,
  CTime: 1764330000,
  MTime: 1764340000,
  OrderType: 3,
  ...(amount === undefined
    ? {}
    : { Refund: { Amount: amount, Product: [{ ID: 'P1', Quantity: 1, Amount: amount }] } }),
});

function order(overrides: Partial<OrderData> = {}): OrderData {
  return {
    ResourceID: '2221554346601',
    BizAPPID: 'local-app-key',
    CateID: 1,
    Title: '四川大凉山丑苹果 5斤',
    Ctime: 1764316000,
    Mtime: 1764340000,
    Status: 200,
    EXT: {
      MainOrder: {
        Products: [],
        Payment: { Method: 1, Amount: 3290, IsPayment: true, Time: 1764316800 },
      },
    },
    ...overrides,
  };
}

describe('differences', () => {
  it.each([
    ['equal values', { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, []],
    ['an undefined key and a missing one', { a: 1, b: undefined }, { a: 1 }, []],
    ['a changed leaf', { a: { b: 1 } }, { a: { b: 2 } }, ['a.b: 1 ≠ 2']],
    ['a missing key', { a: 1 }, { a: 1, c: 'x' }, ['c: missing ≠ "x"']],
    ['an extra key', { a: 1, c: 'x' }, { a: 1 }, ['c: "x" ≠ missing']],
    ['array lengths', { l: [1] }, { l: [1, 2] }, ['l: 1 items ≠ 2 items']],
    ['an array item', { l: [{ v: 1 }] }, { l: [{ v: 3 }] }, ['l[0].v: 1 ≠ 3']],
    ['different roots', 1, 2, ['(root): 1 ≠ 2']],
    ['an object against an array', { a: {} }, { a: [] }, ['a: {} ≠ []']],
  ])('%s', (_what, actual, expected, found) => {
    expect(differences(actual, expected)).toEqual(found);
  });

  it('stops at the limit', () => {
    expect(differences({ a: 1, b: 1, c: 1 }, { a: 2, b: 2, c: 2 }, 2)).toHaveLength(2);
  });
});

describe('normalizedOrder', () => {
  it('orders after-sale items by SubOrderID and leaves the rest alone', () => {
    // Prepare
    const data = order({
      EXT: { ...order().EXT, SubsOrder: { Status: 402, Items: [sub('R2', 402), sub('R1', 400)] } },
    });

    // Act
    const normalized = normalizedOrder(data);

    // Assess
    expect(normalized.EXT.SubsOrder?.Items.map((item) => item.SubOrderID)).toEqual(['R1', 'R2']);
    expect(data.EXT.SubsOrder?.Items.map((item) => item.SubOrderID)).toEqual(['R2', 'R1']);
    expect({ ...normalized, EXT: undefined }).toEqual({ ...data, EXT: undefined });
  });

  it('returns an order without after-sale as it is', () => {
    const data = order();

    expect(normalizedOrder(data)).toBe(data);
  });
});

describe('describeOrder', () => {
  it('says title, category, status, amount, payment, history and each after-sale in 百度App words', () => {
    // Prepare
    const stored: StoredOrder = {
      openId: 'open-1',
      data: order({ EXT: { ...order().EXT, SubsOrder: { Status: 402, Items: [sub('R1', 402, 450)] } } }),
      statusHistory: [
        { status: 1, at: 1 },
        { status: 5, at: 2 },
        { status: 6, at: 3 },
        { status: 200, at: 4 },
      ],
      subStatusHistory: { R1: [400, 401, 402] },
      logistics: [
        { Code: 'SFEXPRESS', ID: 'SF1234567890', Name: '顺丰速运', Status: 0, Type: 1 },
        { Code: 'YTO', ID: 'YT9876543210', Name: '', Status: 0, Type: 2 },
      ],
    };

    // Act
    const lines = describeOrder(stored);

    // Assess
    expect(lines).toEqual([
      '四川大凉山丑苹果 5斤  [实物]  交易完成  ¥32.90 已支付',
      '  订单号 2221554346601 · open_id open-1',
      '  状态经过: 待付款 → 等待卖家发货 → 等待买家收货 → 交易完成',
      '  物流: 顺丰速运 SF1234567890',
      '  退货物流: 圆通速递 YT9876543210',
      '  售后 R1: 退货退款 ¥4.50 退款成功 (申请中 → 处理中 → 退款成功)',
    ]);
  });

  it('uses the virtual words and says when it is unpaid', () => {
    const data = order({ CateID: 2, Status: 1 });
    data.EXT.MainOrder.Payment = { Method: 1, Amount: 1990, IsPayment: false };

    const [first] = describeOrder({
      openId: 'o',
      data,
      statusHistory: [{ status: 1, at: 1 }],
      subStatusHistory: {},
      logistics: [],
    });

    expect(first).toBe('四川大凉山丑苹果 5斤  [虚拟]  待付款  ¥19.90 未支付');
  });
});
