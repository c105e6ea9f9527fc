import type { AmountLine, OrderSnapshot } from './types';

const lineTotal = (lines: readonly AmountLine[] | undefined): number =>
  (lines ?? []).reduce((sum, line) => sum + line.amount * line.quantity, 0);

/**
 * What the user pays for an order, in fen: Σ(payPrice×quantity) + Σ(fee×quantity) − Σ(discount×quantity).
 * The Order Center's Payment.Amount is always this figure, never a number the merchant sends.
 */
export function computeOrderAmount(order: Pick<OrderSnapshot, 'items' | 'fees' | 'discounts'>): number {
  const items = order.items.reduce((sum, item) => sum + item.payPrice * item.quantity, 0);
  return items + lineTotal(order.fees) - lineTotal(order.discounts);
}
