import type { Fact } from '../../lib/events/types';
import { project, type ProjectionConfig } from '../../lib/projection';
import { CONFIG, ORDER_ID, cashier, cashierPaid, fact, placed } from './builders';

/** Baidu's cancel notify (status -1) for a cashier order, as parseCashierNotify records it. */
const cancelled = (occurredAt: number, cashierOrderId = 'cashier-order-2', extra: Partial<Fact> = {}): Fact =>
  fact('closed', occurredAt, {
    eventId: `cashier:${cashierOrderId}:-1`,
    source: 'cashier',
    reason: 'cashier: cancelled',
    cashier: cashier({ orderId: cashierOrderId, status: -1, payTime: 0 }),
    ...extra,
  });

const WAIT = 900;
const at = (now: number | undefined): ProjectionConfig => ({ ...CONFIG, now, cancelAfterSeconds: WAIT });

function viewAt(facts: readonly Fact[], config: ProjectionConfig) {
  const projection = project(ORDER_ID, facts, config);
  if (!projection.ready) throw new Error('expected a ready projection');
  return projection.view;
}

describe('a cashier cancel (CONTRACT section 5)', () => {
  // [name, facts, config, Status, dueAt, anomaly codes]
  it.each<[string, Fact[], ProjectionConfig, number, number | undefined, string[]]>([
    ['waits while the order is unpaid', [placed(100), cancelled(1000)], at(1000), 1, 1000 + WAIT, []],
    ['waits a second short of the wait', [placed(100), cancelled(1000)], at(1899), 1, 1900, []],
    [
      'closes an unpaid order once it has waited',
      [placed(100), cancelled(1000)],
      at(1900),
      100,
      undefined,
      [],
    ],
    ['waits forever without a clock', [placed(100), cancelled(1000)], CONFIG, 1, 1000 + WAIT, []],
    [
      'closes from the earliest cancel',
      [placed(100), cancelled(1000), cancelled(1500, 'c3')],
      at(1900),
      100,
      undefined,
      [],
    ],
    [
      'is an anomaly on a paid order (the issue: 200 -> 100)',
      [placed(100), cashierPaid(200, 2000), fact('shipped', 300), fact('completed', 400), cancelled(500)],
      at(1_000_000),
      200,
      undefined,
      ['cashier-cancel-after-progress'],
    ],
    [
      'is an anomaly when the payment arrives after the cancel',
      [placed(100), cancelled(150), fact('paid', 200)],
      at(1_000_000),
      5,
      undefined,
      ['cashier-cancel-after-progress'],
    ],
    [
      'is an anomaly on a shipped order',
      [placed(100), fact('shipped', 300), cancelled(500)],
      at(1_000_000),
      6,
      undefined,
      ['cashier-cancel-after-progress'],
    ],
    [
      'waits when the only payment is one the amount check refused',
      [placed(100), cashierPaid(200, 1), cancelled(500)],
      at(500),
      1,
      500 + WAIT,
      ['cashier-amount-mismatch'],
    ],
    [
      'adds nothing to an order the merchant closed',
      [placed(100), fact('closed', 200), cancelled(500)],
      at(500),
      100,
      undefined,
      [],
    ],
  ])('%s', (_name, facts, config, status, dueAt, anomalies) => {
    // Act
    const view = viewAt(facts, config);

    // Assess
    expect(view.data.Status).toBe(status);
    expect(view.dueAt).toBe(dueAt);
    expect(view.anomalies.map((a) => a.code)).toEqual(anomalies);
  });

  it('a merchant order-closed still closes at once, paid or not', () => {
    expect(viewAt([placed(100), fact('paid', 200), fact('closed', 300)], at(300)).data.Status).toBe(100);
  });
});

describe('CASHIER_DEAL_ID', () => {
  const own = { ...CONFIG, now: 10_000, cashierDealId: 'deal-1' };

  it.each<[string, Fact[], number, string[]]>([
    ['a notify of this deal pays', [placed(100), cashierPaid(200, 2000)], 5, []],
    [
      "another deal's paid notify pays nothing",
      [placed(100), cashierPaid(200, 2000, { cashier: cashier({ dealId: 'deal-9', totalMoney: 2000 }) })],
      1,
      ['cashier-foreign-deal'],
    ],
    [
      "another deal's cancel closes nothing",
      [placed(100), cancelled(200, 'c2', { cashier: cashier({ dealId: 'deal-9', status: -1 }) })],
      1,
      ['cashier-foreign-deal'],
    ],
  ])('%s', (_name, facts, status, anomalies) => {
    // Act
    const view = viewAt(facts, own);

    // Assess
    expect(view.data.Status).toBe(status);
    expect(view.data.EXT.MainOrder.Payment.IsPayment).toBe(status === 5);
    expect(view.anomalies.map((a) => a.code)).toEqual(anomalies);
    expect(view.dueAt).toBeUndefined();
  });

  it('is not checked when unset', () => {
    const foreign = cashierPaid(200, 2000, { cashier: cashier({ dealId: 'deal-9', totalMoney: 2000 }) });
    expect(viewAt([placed(100), foreign], { ...CONFIG, now: 10_000 }).data.Status).toBe(5);
  });

  it('keeps the anomaly of a foreign notify that arrives before the snapshot', () => {
    const foreign = cashierPaid(200, 2000, { cashier: cashier({ dealId: 'deal-9', totalMoney: 2000 }) });
    const projection = project(ORDER_ID, [foreign], own);
    expect(projection).toMatchObject({
      ready: false,
      paidByCashier: false,
      anomalies: [{ code: 'cashier-foreign-deal', eventId: foreign.eventId, dealId: 'deal-9' }],
    });
  });
});
