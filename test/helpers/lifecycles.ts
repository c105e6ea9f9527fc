import type { Fact, OrderSnapshot } from '../../lib/events/types';

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LifecycleOptions {
  orderId: string;
  openId: string;
  category: 'physical' | 'virtual';
  random: () => number;
  /** first fact's time, Unix seconds */
  start?: number;
}

/** A realistic order: 3 items, a fee, a discount, an amount the snapshot computes. */
export function lifecycleSnapshot(
  openId: string,
  category: 'physical' | 'virtual',
  start: number,
): OrderSnapshot {
  return {
    openId,
    category,
    title: category === 'physical' ? '四川大凉山丑苹果 礼盒' : '视频会员 月卡',
    createdAt: start,
    items: [
      {
        id: 'P1',
        name: '丑苹果 5斤',
        quantity: 2,
        price: 2390,
        payPrice: 2190,
        images: ['https://img.example/p1.jpg'],
      },
      {
        id: 'P2',
        name: '红将军 3斤',
        quantity: 1,
        price: 1590,
        payPrice: 1590,
        sku: [{ name: '规格', value: '3斤' }],
      },
      { id: 'P3', name: '包装袋', quantity: 1, price: 100, payPrice: 100 },
    ],
    fees: [{ name: '运费', amount: 800, quantity: 1 }],
    discounts: [{ name: '优惠券使用', amount: 500, quantity: 1 }],
    paymentMethod: 'online',
    detail: { status: 'linked', name: '订单详情', swan: `/pages/order/detail?id=${openId}` },
  };
}

/** Carrier codes Baidu knows (docs/contract.md section 8), one per order. */
const CARRIERS = ['SFEXPRESS', 'ZTO', 'JD', 'YUNDA'];

/**
 * The facts of one order's whole life: placed, paid, shipped, maybe a refund (requested, then updated),
 * then completed or closed. Times only go forward; the caller shuffles and repeats them as it likes.
 */
export function lifecycle(options: LifecycleOptions): Fact[] {
  const { orderId, openId, category, random } = options;
  let t = options.start ?? 1_764_316_000;
  const next = () => (t += 1 + Math.floor(random() * 600));
  const facts: Fact[] = [];
  const add = (fact: Omit<Fact, 'orderId' | 'source' | 'occurredAt' | 'eventId'> & { eventId?: string }) =>
    facts.push({
      eventId: `${orderId}:${facts.length}:${fact.kind}`,
      orderId,
      source: 'merchant',
      occurredAt: next(),
      ...fact,
    });

  add({ kind: 'placed', order: lifecycleSnapshot(openId, category, t) });
  const closedEarly = random() < 0.1;
  if (closedEarly) {
    add({ kind: 'closed', reason: 'buyer cancelled' });
    return facts;
  }
  add({ kind: 'paid', payment: { paidAt: t + 1, cashierOrderId: `cashier-${orderId}` } });
  // A physical order's parcel names a carrier (Baidu's code) and tracking number; a virtual one has none
  // (a carrier there is a 422). Chosen from the orderId, so the random sequence stays as it was.
  const carrier = CARRIERS[orderId.length % CARRIERS.length] as string;
  if (random() < 0.85)
    add({
      kind: 'shipped',
      shipment:
        category === 'physical'
          ? { shippedAt: t + 1, carrier, trackingNo: `${carrier}${orderId}` }
          : { shippedAt: t + 1 },
    });
  if (random() < 0.4) {
    const id = `${orderId}-R1`;
    add({
      kind: 'refund-requested',
      refund: {
        id,
        type: 'refund-only',
        status: 'requested',
        amount: 2190,
        items: [{ id: 'P1', quantity: 1, amount: 2190 }],
        createdAt: t + 1,
      },
    });
    add({
      kind: 'refund-updated',
      refund:
        category === 'physical'
          ? { id, status: 'processing', returnShipment: { carrier: 'YTO', trackingNo: `YT${orderId}` } }
          : { id, status: 'processing' },
    });
    add({ kind: 'refund-updated', refund: { id, status: random() < 0.8 ? 'refunded' : 'rejected' } });
  }
  add(random() < 0.9 ? { kind: 'completed' } : { kind: 'closed', reason: 'merchant closed it' });
  return facts;
}

/** Shuffles in place (Fisher–Yates) with the given random source. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
