import type { Fact, RefundStatus, RefundType } from '../../lib/events/types';
import type { OrderType, SubOrderItem, SubStatus } from '../../lib/order-center/types';
import { project } from '../../lib/projection';
import { InvalidInputError } from '../../lib/validation';
import { CONFIG, ORDER_ID, placed, refundRequested, refundUpdated, viewOf } from './builders';

function subsOf(refundFacts: readonly Fact[]) {
  return viewOf([placed(100), ...refundFacts]).data.EXT.SubsOrder;
}

function itemOf(refundFacts: readonly Fact[]): SubOrderItem {
  const subs = subsOf(refundFacts);
  if (subs === undefined || subs.Items.length !== 1)
    throw new Error(`expected one after-sale item, got ${JSON.stringify(subs)}`);
  return subs.Items[0];
}

describe('after-sale orders', () => {
  it('leaves SubsOrder out when there is no refund', () => {
    // Act
    const view = viewOf([placed(100)]);

    // Assess
    expect('SubsOrder' in view.data.EXT).toBe(false);
  });

  it('turns a refund request into an after-sale item', () => {
    // Prepare
    const request = refundRequested(200, {
      createdAt: 190,
      detail: { status: 'linked', swan: 'swan://refund/R1' },
      items: [
        { id: 'P1', quantity: 1, amount: 300 },
        { id: 'P2', quantity: 2, amount: 200 },
      ],
    });

    // Act
    const view = viewOf([placed(100), request]);

    // Assess
    expect(view.data.EXT.SubsOrder).toStrictEqual({
      Status: 400,
      Items: [
        {
          SubOrderID: 'R1',
          SubStatus: 400,
          CTime: 190,
          MTime: 200,
          OrderType: 1,
          OrderDetail: { Status: 2, SwanSchema: 'swan://refund/R1' },
          Refund: {
            Amount: 500,
            Product: [
              { ID: 'P1', Quantity: 1, Amount: 300 },
              { ID: 'P2', Quantity: 2, Amount: 200 },
            ],
          },
        },
      ],
    });
    expect(view.data.Mtime).toBe(200);
  });

  it('takes CTime from the request when the refund has no createdAt', () => {
    // Act
    const item = itemOf([refundRequested(200), refundUpdated(300, { id: 'R1', status: 'processing' })]);

    // Assess
    expect({ CTime: item.CTime, MTime: item.MTime }).toEqual({ CTime: 200, MTime: 300 });
  });

  it.each<[RefundType, OrderType]>([
    ['refund-only', 1],
    ['exchange', 2],
    ['return-and-refund', 3],
  ])('maps type %s to OrderType %d', (type, orderType) => {
    // Act
    const item = itemOf([refundRequested(200, { type })]);

    // Assess
    expect(item.OrderType).toBe(orderType);
  });

  it.each<[RefundStatus, SubStatus]>([
    ['requested', 400],
    ['processing', 401],
    ['refunded', 402],
    ['exchanged', 403],
    ['closed', 404],
    ['rejected', 407],
  ])('maps status %s to SubStatus %d', (status, subStatus) => {
    // Act
    const subs = subsOf([refundRequested(200), refundUpdated(300, { id: 'R1', status })]);

    // Assess
    expect(subs).toMatchObject({ Status: subStatus, Items: [{ SubStatus: subStatus, MTime: 300 }] });
  });

  it.each<[string, Fact[], SubStatus]>([
    ['a request that already says processing', [refundRequested(200, { status: 'processing' })], 401],
    ['a request without status', [refundRequested(200, { status: undefined })], 400],
    [
      'processing, then refunded',
      [
        refundRequested(200),
        refundUpdated(300, { id: 'R1', status: 'processing' }),
        refundUpdated(400, { id: 'R1', status: 'refunded' }),
      ],
      402,
    ],
    [
      'a late processing after refunded',
      [
        refundRequested(200),
        refundUpdated(300, { id: 'R1', status: 'refunded' }),
        refundUpdated(400, { id: 'R1', status: 'processing' }),
      ],
      402,
    ],
    [
      'a late requested after processing',
      [
        refundRequested(200),
        refundUpdated(300, { id: 'R1', status: 'processing' }),
        refundRequested(400, {}, { eventId: 'again' }),
      ],
      401,
    ],
    [
      'two terminal statuses: the later wins',
      [
        refundRequested(200),
        refundUpdated(300, { id: 'R1', status: 'closed' }),
        refundUpdated(400, { id: 'R1', status: 'rejected' }),
      ],
      407,
    ],
    [
      'two terminal statuses in the same second: the greater eventId wins',
      [
        refundRequested(200),
        refundUpdated(300, { id: 'R1', status: 'rejected' }, { eventId: 'b' }),
        refundUpdated(300, { id: 'R1', status: 'refunded' }, { eventId: 'a' }),
      ],
      407,
    ],
    [
      'an update before the request (by occurredAt)',
      [refundUpdated(150, { id: 'R1', status: 'processing' }), refundRequested(200)],
      401,
    ],
    [
      'an update without status',
      [
        refundRequested(200),
        refundUpdated(300, { id: 'R1', status: 'processing' }),
        refundUpdated(400, { id: 'R1', amount: 400 }),
      ],
      401,
    ],
  ])('status with %s', (_name, refundFacts, subStatus) => {
    // Act
    const item = itemOf(refundFacts);

    // Assess
    expect(item.SubStatus).toBe(subStatus);
  });

  it('applies the other fields an update carries, and MTime follows the latest fact', () => {
    // Prepare
    const facts = [
      refundRequested(200, { createdAt: 190 }),
      refundUpdated(300, {
        id: 'R1',
        type: 'return-and-refund',
        amount: 250,
        items: [{ id: 'P1', quantity: 1, amount: 250 }],
        detail: { status: 'shown', name: 'Refund' },
      }),
    ];

    // Act
    const item = itemOf(facts);

    // Assess
    expect(item).toStrictEqual<SubOrderItem>({
      SubOrderID: 'R1',
      SubStatus: 400,
      CTime: 190,
      MTime: 300,
      OrderType: 3,
      OrderDetail: { Status: 1, Name: 'Refund' },
      Refund: { Amount: 250, Product: [{ ID: 'P1', Quantity: 1, Amount: 250 }] },
    });
  });

  it('sorts items by CTime, then SubOrderID', () => {
    // Prepare
    const facts = [
      refundRequested(300, { id: 'R3', createdAt: 250 }),
      refundRequested(200, { id: 'R2', createdAt: 250 }),
      refundRequested(400, { id: 'R9', createdAt: 150 }),
    ];

    // Act
    const ids = subsOf(facts)?.Items.map((item) => item.SubOrderID);

    // Assess
    expect(ids).toEqual(['R9', 'R2', 'R3']);
  });

  it.each<[string, Fact[], SubStatus]>([
    ['the only refund', [refundRequested(200)], 400],
    [
      'the one changed last, not the one created last',
      [
        refundRequested(200, { id: 'R1' }),
        refundRequested(300, { id: 'R2' }),
        refundUpdated(400, { id: 'R1', status: 'refunded' }),
      ],
      402,
    ],
    [
      'the one created last when nothing changed since',
      [
        refundRequested(200, { id: 'R1' }),
        refundUpdated(250, { id: 'R1', status: 'refunded' }),
        refundRequested(300, { id: 'R2' }),
      ],
      400,
    ],
    [
      'a tie on MTime: the later fact in fold order (greater eventId)',
      [
        refundRequested(200, { id: 'R1' }),
        refundRequested(200, { id: 'R2' }),
        refundUpdated(400, { id: 'R2', status: 'closed' }, { eventId: 'b' }),
        refundUpdated(400, { id: 'R1', status: 'rejected' }, { eventId: 'a' }),
      ],
      404,
    ],
  ])('SubsOrder.Status is the SubStatus of %s', (_name, refundFacts, status) => {
    // Act
    const subs = subsOf(refundFacts);

    // Assess
    expect(subs?.Status).toBe(status);
  });
});

describe('an update for a refund nobody requested', () => {
  it('builds the item from the update when it carries type, amount and items', () => {
    // Prepare
    const update = refundUpdated(300, {
      id: 'R7',
      type: 'exchange',
      status: 'exchanged',
      amount: 0,
      items: [{ id: 'P1', quantity: 1, amount: 0 }],
    });

    // Act
    const view = viewOf([placed(100), update]);

    // Assess
    expect(view.data.EXT.SubsOrder).toStrictEqual({
      Status: 403,
      Items: [
        {
          SubOrderID: 'R7',
          SubStatus: 403,
          CTime: 300,
          MTime: 300,
          OrderType: 2,
          Refund: { Amount: 0, Product: [{ ID: 'P1', Quantity: 1, Amount: 0 }] },
        },
      ],
    });
    expect(view.anomalies).toEqual([]);
  });

  it('leaves the item out and reports each update when they lack what an item needs', () => {
    // Prepare
    const facts = [
      placed(100),
      refundUpdated(300, { id: 'R7', status: 'processing', amount: 10 }),
      refundUpdated(400, { id: 'R7', status: 'refunded', type: 'refund-only' }),
    ];

    // Act
    const view = viewOf(facts);

    // Assess
    expect('SubsOrder' in view.data.EXT).toBe(false);
    expect(view.data.Mtime).toBe(100);
    expect(view.anomalies).toEqual([
      { code: 'refund-without-request', refundId: 'R7', eventId: 'updated:R7@300' },
      { code: 'refund-without-request', refundId: 'R7', eventId: 'updated:R7@400' },
    ]);
  });

  it('keeps the refunds that were requested while reporting the one that was not', () => {
    // Prepare
    const facts = [
      placed(100),
      refundRequested(200, { id: 'R1' }),
      refundUpdated(300, { id: 'R7', status: 'closed' }),
    ];

    // Act
    const view = viewOf(facts);

    // Assess
    expect(view.data.EXT.SubsOrder?.Items.map((item) => item.SubOrderID)).toEqual(['R1']);
    expect(view.anomalies).toEqual([
      { code: 'refund-without-request', refundId: 'R7', eventId: 'updated:R7@300' },
    ]);
  });

  it('joins the request once it arrives, keeping the update status', () => {
    // Prepare
    const facts = [placed(100), refundUpdated(300, { id: 'R1', status: 'refunded' }), refundRequested(200)];

    // Act
    const view = viewOf(facts);

    // Assess
    expect(view.data.EXT.SubsOrder).toMatchObject({
      Status: 402,
      Items: [{ SubOrderID: 'R1', SubStatus: 402, CTime: 200, MTime: 300 }],
    });
    expect(view.anomalies).toEqual([]);
  });
});

describe('refund facts that break the event contract', () => {
  it.each<[string, Fact, string]>([
    ['a refund fact without refund', { ...refundRequested(200), refund: undefined }, 'refund'],
    ['a request without type', refundRequested(200, { type: undefined }), 'refund.type'],
    ['a request without amount', refundRequested(200, { amount: undefined }), 'refund.amount'],
    ['a request without items', refundRequested(200, { items: undefined }), 'refund.items'],
  ])('%s is an InvalidInputError naming the field', (_name, bad, path) => {
    // Act
    const act = () => project(ORDER_ID, [placed(100), bad], CONFIG);

    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path })] }));
  });
});
