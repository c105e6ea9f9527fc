import {
  BenchOrderError,
  benchOrder,
  MIXED,
  orderWithRefund,
  withoutParcel,
  type Shape,
} from '../../bench/orders';
import type { Fact } from '../../lib/events/types';
import { project } from '../../lib/projection';
import { applyCall, planPush } from '../../lib/sync/plan';
import type { AckedOrder } from '../../lib/ledger/types';

const APP_KEY = 'bench-app-key';

function view(orderId: string, facts: readonly Fact[]) {
  const projection = project(orderId, facts, { bizAppId: APP_KEY });
  if (!projection.ready) throw new Error(`${orderId}: no snapshot`);
  return projection.view;
}

/** What the Order Center holds once the acknowledged facts were pushed, as a push records it. */
function ackedAfter(orderId: string, facts: readonly Fact[]): AckedOrder | undefined {
  if (facts.length === 0) return undefined;
  const before = view(orderId, facts);
  let acked: AckedOrder | undefined;
  for (const step of planPush(undefined, before)) acked = applyCall(acked, before.data, step);
  return acked;
}

/** The calls the reconcile bench's timed run has to make for one order of `shape`. */
function timedCalls(shape: Shape, seed: number): string[] {
  const order = benchOrder(`bench-${shape}-${seed}`, `user-${seed}`, shape, seed);
  const acked = ackedAfter(order.orderId, order.acknowledged);
  return planPush(acked, view(order.orderId, [...order.acknowledged, ...order.due])).map((c) => c.call);
}

describe('reconcile bench orders: each shape costs the calls its scenario says', () => {
  // Seeds 1..50 are what the bench uses (1 + i % 50).
  const seeds = Array.from({ length: 50 }, (_, i) => i + 1);
  it.each<[Shape, string[]]>([
    // a status change alone: what reconcile batches per user (before issue 16's parcel it was this)
    ['status-only', ['update/main/status']],
    // the parcel makes it more than a status change: pushed alone
    ['parcel', ['update/main/status', 'add/main/logistics']],
    ['new', ['add/main/info']],
    // the after-sale order: the main order's status stays as it was
    ['refund', ['append/sub/info']],
  ])('%s: %j for every seed', (shape, calls) => {
    for (const seed of seeds) expect([seed, timedCalls(shape, seed)]).toEqual([seed, calls]);
  });

  it('mixed holds every shape, parcels in two of each user’s ten orders', () => {
    expect(MIXED).toHaveLength(10);
    const count = (shape: Shape) => MIXED.filter((s) => s === shape).length;
    expect([count('new'), count('status-only'), count('parcel'), count('refund')]).toEqual([4, 2, 2, 2]);
  });
});

describe('withoutParcel', () => {
  const [placed, , shipped] = orderWithRefund('bench-parcel', 'user-1', 1);

  it('keeps the shipment and its time, drops the carrier and tracking number', () => {
    expect(shipped?.shipment?.carrier).toBeDefined();
    const bare = withoutParcel(shipped!);
    expect(bare).toEqual({ ...shipped, shipment: { shippedAt: shipped!.shipment!.shippedAt } });
  });

  it('refuses a fact that is not a shipment, naming it', () => {
    expect(() => withoutParcel(placed!)).toThrow(BenchOrderError);
    expect(() => withoutParcel(placed!)).toThrow(`${placed!.eventId}: not a shipment`);
  });
});
