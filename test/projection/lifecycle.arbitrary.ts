/**
 * Random order lifecycles as fact lists: a category, a snapshot possibly re-sent by several events, any
 * mix of paid / shipped / completed / closed facts, cashier notifies with a matching or wrong totalMoney,
 * and up to three refunds each with a request (usually) and up to three updates. Times fall in a narrow
 * window so that ties on occurredAt are common; eventIds are random so ties break either way.
 */
import fc from 'fast-check';
import type {
  AmountLine,
  DetailPageInput,
  Fact,
  FactKind,
  OrderItemInput,
  OrderSnapshot,
  RefundItemInput,
  RefundStatus,
  RefundType,
} from '../../lib/events/types';

export const LIFECYCLE_ORDER_ID = 'order-1';
const T0 = 1_764_316_800;

const time = fc.integer({ min: T0, max: T0 + 40 });
const text = fc.string({ minLength: 1, maxLength: 6 });
const anyText = fc.string({ maxLength: 6 });
const url = fc.constantFrom(
  'https://img.example/1.jpg',
  'https://img.example/2.jpg',
  'https://img.example/3.jpg',
);

const detailPage: fc.Arbitrary<DetailPageInput> = fc.record(
  {
    status: fc.constantFrom('hidden', 'shown', 'linked'),
    name: anyText,
    h5: anyText,
    swan: anyText,
    iphone: anyText,
    android: anyText,
  },
  { requiredKeys: [] },
);

const item: fc.Arbitrary<OrderItemInput> = fc.record(
  {
    id: fc.constantFrom('P1', 'P2', 'P3', 'P4'),
    name: text,
    description: anyText,
    quantity: fc.integer({ min: 1, max: 3 }),
    price: fc.integer({ min: 0, max: 5000 }),
    // at least 100, so that no discount below can take the amount under 0
    payPrice: fc.integer({ min: 100, max: 5000 }),
    images: fc.array(url, { maxLength: 5 }),
    sku: fc.array(fc.record({ name: text, value: anyText }), { maxLength: 4 }),
    detail: detailPage,
  },
  { requiredKeys: ['id', 'name', 'quantity', 'price', 'payPrice'] },
);

const fee: fc.Arbitrary<AmountLine> = fc.record({
  name: text,
  amount: fc.integer({ min: 0, max: 500 }),
  quantity: fc.integer({ min: 1, max: 2 }),
});
const discount: fc.Arbitrary<AmountLine> = fc.record({
  name: text,
  amount: fc.integer({ min: 0, max: 100 }),
  quantity: fc.constant(1),
});

const snapshotBase: fc.Arbitrary<OrderSnapshot> = fc.record(
  {
    openId: text,
    category: fc.constantFrom('physical', 'virtual'),
    title: text,
    createdAt: fc.integer({ min: T0 - 20, max: T0 }),
    items: fc.uniqueArray(item, { minLength: 1, maxLength: 3, selector: (i) => i.id }),
    fees: fc.array(fee, { maxLength: 2 }),
    discounts: fc.array(discount, { maxLength: 1 }),
    paymentMethod: fc.constantFrom('online', 'cash-on-delivery'),
    detail: detailPage,
    appraise: detailPage,
  },
  { requiredKeys: ['openId', 'category', 'title', 'createdAt', 'items'] },
);

/** The computed amount, written out independently of lib/ as the oracle for matching cashier notifies. */
function amountOf(order: OrderSnapshot): number {
  const lines = (list: AmountLine[] | undefined) =>
    (list ?? []).reduce((sum, l) => sum + l.amount * l.quantity, 0);
  return (
    order.items.reduce((sum, i) => sum + i.payPrice * i.quantity, 0) +
    lines(order.fees) -
    lines(order.discounts)
  );
}

const refundType = fc.constantFrom<RefundType>('refund-only', 'exchange', 'return-and-refund');
const refundStatus = fc.constantFrom<RefundStatus>(
  'requested',
  'processing',
  'refunded',
  'exchanged',
  'closed',
  'rejected',
);

function refundItems(itemIds: readonly string[]): fc.Arbitrary<RefundItemInput[]> {
  return fc.subarray([...itemIds], { minLength: 1 }).chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.record({
          id: fc.constant(id),
          quantity: fc.integer({ min: 1, max: 2 }),
          amount: fc.integer({ min: 0, max: 900 }),
        }),
      ),
    ),
  );
}

type Draft = Omit<Fact, 'eventId'>;

function refundFacts(id: string, itemIds: readonly string[]): fc.Arbitrary<Draft[]> {
  const whole = fc.record(
    {
      type: refundType,
      status: refundStatus,
      amount: fc.integer({ min: 0, max: 2000 }),
      items: refundItems(itemIds),
      createdAt: time,
      detail: detailPage,
    },
    { requiredKeys: ['type', 'amount', 'items'] },
  );
  const partial = fc.record(
    {
      type: refundType,
      status: refundStatus,
      amount: fc.integer({ min: 0, max: 2000 }),
      items: refundItems(itemIds),
      detail: detailPage,
    },
    { requiredKeys: [] },
  );
  const request = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(whole, time).map(([refund, at]) => [{ ...refund, id }, at] as const) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const updates = fc.array(fc.tuple(partial, time), { maxLength: 3 });
  return fc.tuple(request, updates).map(([requested, updated]) => {
    const drafts: Draft[] = updated.map(([refund, at]) =>
      draft('refund-updated', at, { refund: { ...refund, id } }),
    );
    if (requested !== undefined)
      drafts.push(draft('refund-requested', requested[1], { refund: requested[0] }));
    return drafts;
  });
}

function draft(kind: FactKind, occurredAt: number, extra: Partial<Fact> = {}): Draft {
  return { kind, source: 'merchant', orderId: LIFECYCLE_ORDER_ID, occurredAt, ...extra };
}

function lifecycleFor(base: OrderSnapshot): fc.Arbitrary<Draft[]> {
  const amount = amountOf(base);
  const itemIds = base.items.map((i) => i.id);
  // Re-sent snapshots differ in title and detail, and sometimes carry one more fee: a cashier notify may
  // then match an earlier snapshot's amount and not the latest's (it stays paid: facts only move forward).
  const resent = fc
    .tuple(text, fc.option(detailPage, { nil: undefined }), fc.option(fee, { nil: undefined, freq: 3 }))
    .map(([title, detail, extraFee]): OrderSnapshot => {
      const order: OrderSnapshot = detail === undefined ? { ...base, title } : { ...base, title, detail };
      return extraFee === undefined ? order : { ...order, fees: [...(base.fees ?? []), extraFee] };
    });
  const carriers: fc.Arbitrary<[OrderSnapshot, number][]> = fc.oneof(
    { weight: 1, arbitrary: fc.constant<[OrderSnapshot, number][]>([]) },
    { weight: 6, arbitrary: fc.array(fc.tuple(resent, time), { minLength: 1, maxLength: 3 }) },
  );
  const statusTimes = fc.array(time, { maxLength: 2 });
  const cashierNotifies = fc.array(
    fc.record({ at: time, matches: fc.boolean(), off: fc.integer({ min: 1, max: 50 }), orderId: text }),
    { maxLength: 2 },
  );
  const refunds = fc
    .uniqueArray(fc.constantFrom('R1', 'R2', 'R3', 'R4'), { maxLength: 3 })
    .chain((ids) => fc.tuple(...ids.map((id) => refundFacts(id, itemIds))));

  return fc
    .record({
      carriers,
      paid: statusTimes,
      shipped: statusTimes,
      completed: statusTimes,
      closed: fc.array(time, { maxLength: 1 }),
      cashierNotifies,
      refunds,
    })
    .map(
      ({
        carriers: sent,
        paid,
        shipped,
        completed,
        closed,
        cashierNotifies: notifies,
        refunds: refundDrafts,
      }) => [
        ...sent.map(([order, at]) => draft('placed', at, { order })),
        ...paid.map((at) => draft('paid', at, { payment: { paidAt: at } })),
        ...shipped.map((at) => draft('shipped', at, { shipment: { shippedAt: at } })),
        ...completed.map((at) => draft('completed', at)),
        ...closed.map((at) => draft('closed', at, { reason: 'cancelled' })),
        ...notifies.map(({ at, matches, off, orderId }) => {
          const totalMoney = matches ? amount : amount + off;
          return draft('paid', at, {
            source: 'cashier',
            payment: { paidAt: at, cashierOrderId: orderId },
            cashier: {
              orderId,
              userId: 'u',
              totalMoney,
              payMoney: totalMoney,
              dealId: 'd',
              payTime: at,
              status: 2,
            },
          });
        }),
        ...refundDrafts.flat(),
      ],
    );
}

/** A lifecycle's facts, each with a distinct random eventId. */
export const lifecycle: fc.Arbitrary<Fact[]> = snapshotBase.chain(lifecycleFor).chain((drafts) =>
  fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), {
      minLength: drafts.length,
      maxLength: drafts.length,
    })
    .map((eventIds) => drafts.map((d, i): Fact => ({ eventId: eventIds[i], ...d }))),
);

/** The same facts as `facts`, shuffled, with some delivered again (as equal copies, as a retry would). */
export function redelivered(facts: readonly Fact[]): fc.Arbitrary<Fact[]> {
  return fc.subarray([...facts]).chain((again) => {
    const all = [...facts, ...again.map((f) => structuredClone(f))];
    return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
  });
}
