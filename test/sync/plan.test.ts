import fc from 'fast-check';
import { validateCallBody } from '../../lib/order-center/schemas';
import type { AckedOrder, LogisticsAck } from '../../lib/ledger/types';
import type { Express, MainStatus, OrderData, SubOrderItem, SubStatus } from '../../lib/order-center/types';
import type { Parcel } from '../../lib/projection';
import { bodyFor } from '../../lib/sync/bodies';
import {
  applyCall,
  plan,
  planLogistics,
  planPush,
  withoutModTimes,
  withParcel,
  type PlannedCall,
} from '../../lib/sync/plan';
import { requestIssues } from '../../local/order-center';

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
const recreated = order({ Ctime: 1764316500 });
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
const shippedAndRepriced = { ...repriced, Status: 6 as const, Mtime: 1764320000 };
/** An after-sale event: the item moves on and the order's Mtime with it, the main order does not change. */
const refundProcessingLater = order({ Mtime: 1764331000 }, [
  refund('R1', { SubStatus: 401, MTime: 1764331000 }),
]);
const refundTouched = order({ Mtime: 1764331000 }, [refund('R1', { MTime: 1764331000 })]);
const renamedWithRefund = order({ Title: 'renamed' }, [refund('R1')]);

describe('plan', () => {
  it.each<[string, OrderData | undefined, OrderData, PlannedCall[]]>([
    ['nothing acknowledged: the whole order', undefined, oneRefund, [{ call: 'add/main/info' }]],
    ['nothing changed: no call', paid, order(), []],
    ['status only', paid, shipped, [{ call: 'update/main/status' }]],
    ['modification time only: no call (no call carries Mtime alone)', paid, touched, []],
    ['title changed: only add/main/info carries Title', paid, renamed, [{ call: 'add/main/info' }]],
    ['creation time changed: only add/main/info carries Ctime', paid, recreated, [{ call: 'add/main/info' }]],
    ['title and status changed: one whole add', paid, shippedAndRenamed, [{ call: 'add/main/info' }]],
    [
      'title changed with after-sale items: one whole add, which carries them too',
      oneRefund,
      renamedWithRefund,
      [{ call: 'add/main/info' }],
    ],
    ['products changed', paid, repriced, [{ call: 'update/main/info' }]],
    [
      'content and status changed: one update/main/info carries both',
      paid,
      shippedAndRepriced,
      [{ call: 'update/main/info' }],
    ],
    [
      'an after-sale event alone: no update/main/status for the Mtime it moved',
      oneRefund,
      refundProcessingLater,
      [{ call: 'update/sub/status', subOrderIds: ['R1'] }],
    ],
    ['after-sale MTime only: no call', oneRefund, refundTouched, []],
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
    ['content and status', paid, shippedAndRepriced],
    ['title and status', paid, shippedAndRenamed],
    ['an after-sale event alone', oneRefund, refundProcessingLater],
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
      expect(withoutModTimes(reached!)).toEqual(withoutModTimes(desired));
      expect(plan(reached, desired)).toEqual([]);
    },
  );

  it('a status update changes the status alone: content and Mtime stay as Baidu has them', () => {
    // Act
    const next = applyCall(renamed, shipped, { call: 'update/main/status' });

    // Assess
    expect(next).toEqual({ ...renamed, Status: 6 });
  });

  it('update/main/info changes content and status, never Title, Ctime or Mtime', () => {
    // Act
    const next = applyCall(
      paid,
      { ...shippedAndRepriced, Title: 'x', Ctime: 1 },
      { call: 'update/main/info' },
    );

    // Assess
    expect(next).toEqual({ ...paid, Status: 6, EXT: { MainOrder: repriced.EXT.MainOrder } });
  });

  it('update/sub/status changes the after-sale status, not its MTime', () => {
    // Act
    const next = applyCall(oneRefund, refundProcessing, { call: 'update/sub/status', subOrderIds: ['R1'] });

    // Assess
    expect(next.EXT.SubsOrder).toEqual({ Status: 401, Items: [refund('R1', { SubStatus: 401 })] });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over generated pairs (what Baidu acknowledged, what the facts now say)

const PHYSICAL: readonly MainStatus[] = [1, 5, 6, 100, 200];
const VIRTUAL: readonly MainStatus[] = [1, 2, 3, 4, 100, 200];
const SUB_STATUSES: readonly SubStatus[] = [400, 401, 402, 404, 407];

const subItemArb = (id: string): fc.Arbitrary<SubOrderItem> =>
  fc.record({
    SubOrderID: fc.constant(id),
    SubStatus: fc.constantFrom(...SUB_STATUSES),
    CTime: fc.constantFrom(1764330000, 1764330100),
    MTime: fc.constantFrom(1764330000, 1764331000, 1764332000),
    OrderType: fc.constantFrom(1 as const, 3 as const),
    Refund: fc.constantFrom(10, 20).map((amount) => ({
      Amount: amount,
      Product: [{ ID: '1014093064', Quantity: 1, Amount: amount }],
    })),
  });

const orderArb: fc.Arbitrary<OrderData> = fc
  .record({
    cate: fc.constantFrom(1 as const, 1 as const, 1 as const, 2 as const),
    statusPick: fc.nat(20),
    Title: fc.constantFrom('苹果', 'renamed'),
    Ctime: fc.constantFrom(1764316000, 1764316500),
    Mtime: fc.constantFrom(1764316800, 1764320000, 1764331000),
    quantity: fc.constantFrom(1, 2),
    isPaid: fc.boolean(),
    subs: fc.subarray(['R1', 'R2', 'R3']).chain((ids) => fc.tuple(...ids.map(subItemArb))),
    subsStatusFromLatest: fc.boolean(),
    subsStatus: fc.constantFrom(...SUB_STATUSES),
  })
  .map((g): OrderData => {
    const statuses = g.cate === 1 ? PHYSICAL : VIRTUAL;
    const base = order({
      CateID: g.cate,
      Title: g.Title,
      Ctime: g.Ctime,
      Mtime: g.Mtime,
      Status: statuses[g.statusPick % statuses.length]!,
      EXT: {
        MainOrder: {
          Products: [{ ID: '1014093064', Name: '苹果', Quantity: g.quantity, Price: 2390, PayPrice: 2390 }],
          Payment: {
            Method: 1,
            Amount: 2390 * g.quantity,
            IsPayment: g.isPaid,
            Time: g.isPaid ? 1764316800 : 0,
          },
        },
      },
    });
    if (g.subs.length === 0) return base;
    const latest = [...g.subs].sort((a, b) => b.MTime - a.MTime)[0]!;
    const status = g.subsStatusFromLatest ? latest.SubStatus : g.subsStatus;
    return { ...base, EXT: { ...base.EXT, SubsOrder: { Status: status, Items: g.subs } } };
  });

function applyAll(acked: OrderData | undefined, desired: OrderData): OrderData | undefined {
  return plan(acked, desired).reduce<OrderData | undefined>(
    (state, step) => applyCall(state, desired, step),
    acked,
  );
}

describe('plan and applyCall, over generated orders', () => {
  const pair = fc.tuple(fc.option(orderArb, { nil: undefined }), orderArb);

  it('applying the plan reaches the desired order on every field but the modification times', () => {
    fc.assert(
      fc.property(pair, ([acked, desired]) => {
        expect(withoutModTimes(applyAll(acked, desired)!)).toEqual(withoutModTimes(desired));
      }),
    );
  });

  it('a second plan from where the first one left Baidu is empty', () => {
    fc.assert(
      fc.property(pair, ([acked, desired]) => {
        expect(plan(applyAll(acked, desired), desired)).toEqual([]);
      }),
    );
  });

  it('a change of after-sale data and times alone never calls a main-order update', () => {
    fc.assert(
      fc.property(orderArb, orderArb, (acked, other) => {
        const desired = {
          ...acked,
          Mtime: other.Mtime,
          EXT: { ...acked.EXT, SubsOrder: other.EXT.SubsOrder },
        };
        const calls = plan(acked, desired).map((c) => c.call);
        expect(calls).not.toContain('update/main/status');
        expect(calls).not.toContain('update/main/info');
      }),
    );
  });

  it('every planned body passes our schema and the independent local Order Center', () => {
    fc.assert(
      fc.property(pair, ([acked, desired]) => {
        for (const step of plan(acked, desired)) {
          const body = bodyFor(step, desired);
          expect({ call: step.call, issues: validateCallBody(step.call, body) }).toEqual({
            call: step.call,
            issues: [],
          });
          expect({ call: step.call, issues: requestIssues(step.call, body) }).toEqual({
            call: step.call,
            issues: [],
          });
        }
      }),
    );
  });
});

describe('planLogistics, planPush and a parcel applied', () => {
  const SF: Express = { Code: 'SFEXPRESS', ID: 'SF1', Name: '顺丰速运', Status: 0, Type: 1 };
  const SF2: Express = { ...SF, ID: 'SF2' };
  const YTO: Express = { Code: 'YTO', ID: 'YT1', Name: '圆通速递', Status: 0, Type: 2 };
  const parcels = (...list: Express[]): Parcel[] => list.map((express) => ({ express, eventId: 'e' }));
  const acked = (...answers: LogisticsAck[]): AckedOrder => ({ ...shipped, logistics: answers });
  const sent = (calls: PlannedCall[]) =>
    calls.map((c) => (c.call === 'add/main/logistics' ? `${c.express.Code} ${c.express.ID}` : c.call));

  it.each<[string, AckedOrder | undefined, Parcel[], { force?: boolean }, string[]]>([
    ['nothing to show', acked(), [], {}, []],
    ['a new order: the add, then its parcel', undefined, parcels(SF), {}, ['add/main/info', 'SFEXPRESS SF1']],
    ['a first parcel', acked(), parcels(SF), {}, ['SFEXPRESS SF1']],
    ['a parcel Baidu has', acked({ Express: SF }), parcels(SF), {}, []],
    ['a corrected tracking number', acked({ Express: SF }), parcels(SF2), {}, ['SFEXPRESS SF2']],
    ['a return beside a known shipment', acked({ Express: SF }), parcels(SF, YTO), {}, ['YTO YT1']],
    [
      'a refused parcel, unchanged: not again',
      acked({ Express: SF, refused: { message: 'no', at: 1 } }),
      parcels(SF),
      {},
      [],
    ],
    [
      'a refused parcel, corrected',
      acked({ Express: SF, refused: { message: 'no', at: 1 } }),
      parcels(SF2),
      {},
      ['SFEXPRESS SF2'],
    ],
    [
      'forced: the add and every parcel, refused ones too',
      acked({ Express: SF, refused: { message: 'no', at: 1 } }, { Express: YTO }),
      parcels(SF, YTO),
      { force: true },
      ['add/main/info', 'SFEXPRESS SF1', 'YTO YT1'],
    ],
    [
      'a status change, then the parcel',
      { ...paid, logistics: [] },
      parcels(SF),
      {},
      ['update/main/status', 'SFEXPRESS SF1'],
    ],
  ])('%s', (_case, ack, wanted, options, expected) => {
    // Act
    const calls = planPush(ack, { data: shipped, logistics: wanted }, options);

    // Assess
    expect(sent(calls)).toEqual(expected);
  });

  it('applying a parcel records it beside the order and changes nothing the other calls carry', () => {
    // Act
    const after = applyCall(acked({ Express: YTO }), shipped, { call: 'add/main/logistics', express: SF2 });

    // Assess
    expect(after.logistics).toEqual([{ Express: SF2 }, { Express: YTO }]);
    expect(withoutModTimes(after)).toEqual(
      withoutModTimes({ ...shipped, logistics: after.logistics } as OrderData),
    );
    expect(planLogistics(after, parcels(SF2, YTO))).toEqual([]);
  });

  it('a whole add/main/info keeps the parcels Baidu confirmed', () => {
    // Act
    const after = applyCall(acked({ Express: SF }), renamed, { call: 'add/main/info' });

    // Assess
    expect(after).toEqual({ ...renamed, logistics: [{ Express: SF }] });
  });

  it('a parcel replaces the earlier one of its Type only', () => {
    // Act
    const after = withParcel(acked({ Express: SF }, { Express: YTO }), {
      Express: SF2,
      refused: { message: 'x', at: 2 },
    });

    // Assess
    expect(after.logistics).toEqual([{ Express: SF2, refused: { message: 'x', at: 2 } }, { Express: YTO }]);
  });

  it('every logistics body passes our schema and the independent local Order Center', () => {
    for (const express of [SF, YTO]) {
      const body = bodyFor({ call: 'add/main/logistics', express }, shipped);
      expect(validateCallBody('add/main/logistics', body)).toEqual([]);
      expect(requestIssues('add/main/logistics', body)).toEqual([]);
    }
  });
});
