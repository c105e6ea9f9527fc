import type { Fact, OrderSnapshot } from '../../lib/events/types';
import type { Payment } from '../../lib/order-center/types';
import { cashier, cashierPaid, fact, placed, snapshot, viewOf } from './builders';

/** 2×1000 + 1×450 goods, fees 2×100 + 1×50, discounts 1×300 + 2×25: 2000 + 450 + 250 - 350 = 2350. */
const priced: OrderSnapshot = snapshot({
  items: [
    { id: 'P1', name: 'Apple', quantity: 2, price: 1200, payPrice: 1000 },
    { id: 'P2', name: 'Pear', quantity: 1, price: 450, payPrice: 450 },
  ],
  fees: [
    { name: '运费', amount: 100, quantity: 2 },
    { name: '保险', amount: 50, quantity: 1 },
  ],
  discounts: [
    { name: '优惠券', amount: 300, quantity: 1 },
    { name: '满减', amount: 25, quantity: 2 },
  ],
});

describe('payment', () => {
  it('computes Amount and carries fees and discounts as PaymentInfo and PreferentialInfo', () => {
    // Act
    const payment = viewOf([placed(100, priced)]).data.EXT.MainOrder.Payment;

    // Assess
    expect(payment).toStrictEqual<Payment>({
      Method: 1,
      Amount: 2350,
      IsPayment: false,
      Time: 0,
      PaymentInfo: [
        { Name: '运费', Value: 100, Quantity: 2 },
        { Name: '保险', Value: 50, Quantity: 1 },
      ],
      PreferentialInfo: [
        { Name: '优惠券', Value: 300, Quantity: 1 },
        { Name: '满减', Value: 25, Quantity: 2 },
      ],
    });
  });

  it.each<[string, Partial<OrderSnapshot>]>([
    ['absent', {}],
    ['empty', { fees: [], discounts: [] }],
  ])('leaves PaymentInfo and PreferentialInfo out when fees and discounts are %s', (_name, overrides) => {
    // Act
    const payment = viewOf([placed(100, snapshot(overrides))]).data.EXT.MainOrder.Payment;

    // Assess
    expect(payment).toStrictEqual<Payment>({ Method: 1, Amount: 2000, IsPayment: false, Time: 0 });
  });

  it.each<[OrderSnapshot['paymentMethod'], 1 | 2]>([
    [undefined, 1],
    ['online', 1],
    ['cash-on-delivery', 2],
  ])('maps paymentMethod %s to Method %d', (paymentMethod, method) => {
    // Act
    const payment = viewOf([placed(100, snapshot({ paymentMethod }))]).data.EXT.MainOrder.Payment;

    // Assess
    expect(payment.Method).toBe(method);
  });

  it.each<[string, Fact[], { IsPayment: boolean; Time: number }]>([
    ['no paid fact', [], { IsPayment: false, Time: 0 }],
    [
      'a merchant paid fact',
      [fact('paid', 200, { payment: { paidAt: 190 } })],
      { IsPayment: true, Time: 190 },
    ],
    [
      'a paid fact without paidAt details: its occurredAt',
      [fact('paid', 200)],
      { IsPayment: true, Time: 200 },
    ],
    [
      'two paid facts: the earliest one, whatever the input order',
      [fact('paid', 300, { payment: { paidAt: 290 } }), fact('paid', 200, { payment: { paidAt: 190 } })],
      { IsPayment: true, Time: 190 },
    ],
    ['a cashier fact with the right amount', [cashierPaid(200, 2000)], { IsPayment: true, Time: 200 }],
    [
      'a cashier fact with payment details: its paidAt',
      [cashierPaid(200, 2000, { payment: { paidAt: 180 } })],
      { IsPayment: true, Time: 180 },
    ],
    ['a cashier fact with the wrong amount', [cashierPaid(200, 1999)], { IsPayment: false, Time: 0 }],
    [
      'a cashier fact with the wrong amount before a merchant paid fact',
      [cashierPaid(200, 1999), fact('paid', 300, { payment: { paidAt: 300 } })],
      { IsPayment: true, Time: 300 },
    ],
  ])('IsPayment and Time with %s', (_name, paidFacts, expected) => {
    // Act
    const payment = viewOf([placed(100), ...paidFacts]).data.EXT.MainOrder.Payment;

    // Assess
    expect({ IsPayment: payment.IsPayment, Time: payment.Time }).toEqual(expected);
  });
});

describe('cashier amount check', () => {
  it('does not apply a cashier paid fact whose totalMoney differs, and reports it', () => {
    // Prepare
    const facts = [placed(100), cashierPaid(200, 1999, { payment: { paidAt: 200, cashierOrderId: 'C-9' } })];

    // Act
    const view = viewOf(facts);

    // Assess
    expect(view.data.Status).toBe(1);
    expect(view.data.EXT.MainOrder.Payment.IsPayment).toBe(false);
    expect(view.data.Mtime).toBe(100);
    expect(view.sceneId).toBeUndefined();
    expect(view.anomalies).toEqual([
      { code: 'cashier-amount-mismatch', eventId: 'cashier-paid@200', expected: 2000, received: 1999 },
    ]);
  });

  it('applies a cashier paid fact whose totalMoney matches, without anomaly', () => {
    // Act
    const view = viewOf([placed(100), cashierPaid(200, 2000)]);

    // Assess
    expect(view.data.Status).toBe(5);
    expect(view.data.Mtime).toBe(200);
    expect(view.anomalies).toEqual([]);
  });

  it('keeps a cashier payment that matched an earlier snapshot paid when a later one changes the amount', () => {
    // Prepare: paid 2000 through the cashier; then a snapshot adds a 100 fen fee. Baidu already showed
    // the order paid: facts only move it forward, so a re-priced snapshot must not un-pay it.
    const withFee = snapshot({ fees: [{ name: '运费', amount: 100, quantity: 1 }] });
    const paid = [placed(100), cashierPaid(200, 2000)];
    const facts = [...paid, fact('placed', 300, { eventId: 'resent', order: withFee })];

    // Act
    const before = viewOf(paid);
    const after = viewOf(facts);

    // Assess
    expect(before.data.Status).toBe(5);
    expect(after.data.Status).toBe(5);
    expect(after.data.EXT.MainOrder.Payment).toMatchObject({ Amount: 2100, IsPayment: true, Time: 200 });
    expect(after.anomalies).toEqual([]);
  });

  it('reports a cashier amount that matches none of the snapshots against the latest amount', () => {
    // Prepare
    const repriced = snapshot({
      items: [{ id: 'P1', name: 'Apple', quantity: 2, price: 1200, payPrice: 900 }],
    });
    const facts = [
      placed(100),
      cashierPaid(200, 1234),
      fact('placed', 300, { eventId: 'resent', order: repriced }),
    ];

    // Act
    const view = viewOf(facts);

    // Assess
    expect(view.data.EXT.MainOrder.Payment).toMatchObject({ Amount: 1800, IsPayment: false });
    expect(view.anomalies).toEqual([
      { code: 'cashier-amount-mismatch', eventId: 'cashier-paid@200', expected: 1800, received: 1234 },
    ]);
  });

  it('never checks a merchant paid fact against the cashier (its amount was checked when parsed)', () => {
    // Act
    const view = viewOf([placed(100), fact('paid', 200, { cashier: cashier({ totalMoney: 1 }) })]);

    // Assess
    expect(view.data.Status).toBe(5);
    expect(view.anomalies).toEqual([]);
  });
});

describe('scene id', () => {
  it.each<[string, Fact[], string | undefined]>([
    ['no paid fact', [], undefined],
    ['a merchant paid fact without a cashier order id', [fact('paid', 200)], undefined],
    [
      'payment.cashierOrderId',
      [fact('paid', 200, { payment: { paidAt: 200, cashierOrderId: 'C-1' } })],
      'C-1',
    ],
    ['cashier.orderId', [cashierPaid(200, 2000, { cashier: cashier({ orderId: 'C-2' }) })], 'C-2'],
    [
      'the first paid fact that carries one',
      [
        fact('paid', 200),
        fact('paid', 300, { payment: { paidAt: 300, cashierOrderId: 'C-3' } }),
        fact('paid', 400, { payment: { paidAt: 400, cashierOrderId: 'C-4' } }),
      ],
      'C-3',
    ],
    [
      'not from a cashier fact that was not applied',
      [cashierPaid(200, 1, { cashier: cashier({ totalMoney: 1 }) })],
      undefined,
    ],
  ])('with %s', (_name, paidFacts, sceneId) => {
    // Act
    const view = viewOf([placed(100), ...paidFacts]);

    // Assess
    expect(view.sceneId).toBe(sceneId);
    expect('sceneId' in view).toBe(sceneId !== undefined);
  });
});
