import type { AmountLine, OrderItemInput } from './types';

/** Only the figures the amount is made of: a merchant snapshot is one, and so is an Order Center main order renamed. */
export interface AmountInputs {
  items: readonly Pick<OrderItemInput, 'payPrice' | 'quantity'>[];
  fees?: readonly Pick<AmountLine, 'amount' | 'quantity'>[];
  discounts?: readonly Pick<AmountLine, 'amount' | 'quantity'>[];
}

const lineTotal = (lines: AmountInputs['fees']): number =>
  (lines ?? []).reduce((sum, line) => sum + line.amount * line.quantity, 0);

/**
 * What the user pays for an order, in fen: Σ(payPrice×quantity) + Σ(fee×quantity) − Σ(discount×quantity).
 * The Order Center's Payment.Amount is always this figure, never a number the merchant sends; the one
 * place it is written (the outgoing-body check in order-center/schemas reads Products and PaymentInfo /
 * PreferentialInfo through it too).
 */
export function computeOrderAmount(order: AmountInputs): number {
  const items = order.items.reduce((sum, item) => sum + item.payPrice * item.quantity, 0);
  return items + lineTotal(order.fees) - lineTotal(order.discounts);
}
