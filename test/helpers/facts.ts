import type { Fact, OrderSnapshot } from '../../lib/events/types';

/** A small valid physical order: one item of 2390 fen, a 100 fen fee and a 100 fen coupon. */
export function snapshot(overrides: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    openId: 'open-user-1',
    category: 'physical',
    title: '四川大凉山丑苹果',
    createdAt: 1764316000,
    items: [{ id: '1014093064', name: '丑苹果 5斤', quantity: 1, price: 2390, payPrice: 2390 }],
    fees: [{ name: '运费', amount: 100, quantity: 1 }],
    discounts: [{ name: '优惠券使用', amount: 100, quantity: 1 }],
    paymentMethod: 'online',
    ...overrides,
  };
}

let seq = 0;

/** A fact with sensible defaults; pass what the test is about. */
export function fact(overrides: Partial<Fact> & Pick<Fact, 'orderId'>): Fact {
  seq += 1;
  return {
    eventId: `evt-${process.pid}-${seq}`,
    kind: 'placed',
    source: 'merchant',
    occurredAt: 1764316000 + seq,
    ...overrides,
  };
}

export function uniqueId(prefix: string): string {
  seq += 1;
  return `${prefix}-${Date.now().toString(36)}-${seq}`;
}
