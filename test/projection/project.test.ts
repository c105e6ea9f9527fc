import type { Fact } from '../../lib/events/types';
import { project, type Projection } from '../../lib/projection';
import { InvalidInputError } from '../../lib/validation';
import {
  CONFIG,
  ORDER_ID,
  cashierPaid,
  fact,
  placed,
  refundRequested,
  refundUpdated,
  snapshot,
  viewOf,
} from './builders';

describe('project()', () => {
  it('fills the order keys and header from the snapshot and the config', () => {
    // Prepare
    const order = snapshot({ openId: 'user-9', category: 'virtual', title: 'Ticket', createdAt: 90 });

    // Act
    const view = viewOf([placed(100, order)]);

    // Assess
    expect(view.openId).toBe('user-9');
    expect(view.data).toMatchObject({
      ResourceID: ORDER_ID,
      BizAPPID: CONFIG.bizAppId,
      CateID: 2,
      Title: 'Ticket',
      Ctime: 90,
      Mtime: 100,
      Status: 1,
    });
  });

  it.each<[string, Fact[], string]>([
    [
      'the latest by occurredAt, whatever the input order',
      [
        fact('shipped', 300, { order: snapshot({ title: 'third' }) }),
        placed(100, snapshot({ title: 'first' })),
        fact('paid', 200, { order: snapshot({ title: 'second' }) }),
      ],
      'third',
    ],
    [
      'on an occurredAt tie, the greater eventId',
      [
        placed(100, snapshot({ title: 'b' }), { eventId: 'b' }),
        placed(100, snapshot({ title: 'a' }), { eventId: 'a' }),
      ],
      'b',
    ],
    [
      'a fact without snapshot does not replace it',
      [placed(100, snapshot({ title: 'only' })), fact('paid', 200)],
      'only',
    ],
  ])('takes the snapshot of %s', (_name, facts, title) => {
    // Act
    const view = viewOf(facts);

    // Assess
    expect(view.data.Title).toBe(title);
  });

  it.each<[string, Fact[], number]>([
    ['the snapshot alone', [placed(100)], 100],
    ['the latest status fact', [placed(100), fact('paid', 300), fact('shipped', 200)], 300],
    ['a late fact that changes no status', [placed(100), fact('shipped', 300), fact('paid', 400)], 400],
    [
      'a refund fact',
      [placed(100), refundRequested(200), refundUpdated(500, { id: 'R1', status: 'processing' })],
      500,
    ],
    [
      'a re-sent snapshot',
      [placed(100), fact('refund-updated', 600, { order: snapshot(), refund: { id: 'X' } })],
      600,
    ],
    ['never a cashier fact that was not applied', [placed(100), cashierPaid(700, 1)], 100],
    [
      'never an update of a refund nobody requested',
      [placed(100), refundUpdated(700, { id: 'R9', status: 'closed' })],
      100,
    ],
    ['never before Ctime', [placed(10, snapshot({ createdAt: 50 }))], 50],
  ])('sets Mtime from %s', (_name, facts, mtime) => {
    // Act
    const view = viewOf(facts);

    // Assess
    expect(view.data.Mtime).toBe(mtime);
  });

  it('applies a fact once however often it comes', () => {
    // Prepare
    const paid = fact('paid', 200);
    const once = project(ORDER_ID, [placed(100), paid], CONFIG);

    // Act
    const repeated = project(ORDER_ID, [paid, placed(100), { ...paid }, paid], CONFIG);

    // Assess
    expect(repeated).toStrictEqual(once);
  });

  it('refuses a fact of another order, naming it', () => {
    // Prepare
    const facts = [placed(100), { ...fact('paid', 200), orderId: 'someone-else' }];

    // Act
    const act = () => project(ORDER_ID, facts, CONFIG);

    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow('facts[1].orderId: belongs to order someone-else, not 2221554346520');
  });
});

describe('project() without snapshot', () => {
  it.each<[string, Fact[], Projection]>([
    ['no facts at all', [], { ready: false, reason: 'no-snapshot', paidByCashier: false, anomalies: [] }],
    [
      'a cashier notify ahead of the merchant',
      [cashierPaid(200, 2000)],
      { ready: false, reason: 'no-snapshot', paidByCashier: true, anomalies: [] },
    ],
    [
      'a cashier notify whose amount cannot be checked yet',
      [cashierPaid(200, 1)],
      { ready: false, reason: 'no-snapshot', paidByCashier: true, anomalies: [] },
    ],
    [
      'a merchant paid fact',
      [fact('paid', 200), fact('shipped', 300)],
      { ready: false, reason: 'no-snapshot', paidByCashier: false, anomalies: [] },
    ],
    [
      'an update of a refund nobody requested',
      [refundUpdated(300, { id: 'R7', status: 'closed' })],
      {
        ready: false,
        reason: 'no-snapshot',
        paidByCashier: false,
        anomalies: [{ code: 'refund-without-request', refundId: 'R7', eventId: 'updated:R7@300' }],
      },
    ],
  ])('is not ready with %s', (_name, facts, expected) => {
    // Act
    const projection = project(ORDER_ID, facts, CONFIG);

    // Assess
    expect(projection).toStrictEqual(expected);
  });
});
