import { computeOrderAmount, type AmountLine, type OrderItemInput } from '../../lib/events';

const item = (payPrice: number, quantity: number): OrderItemInput => ({
  id: `item-${payPrice}-${quantity}`,
  name: 'item',
  quantity,
  price: payPrice,
  payPrice,
});
const line = (amount: number, quantity: number): AmountLine => ({ name: 'line', amount, quantity });

describe('computeOrderAmount', () => {
  it.each<[string, OrderItemInput[], AmountLine[] | undefined, AmountLine[] | undefined, number]>([
    [
      "the page's example: one item, fee 100, coupon 100",
      [item(2390, 1)],
      [line(100, 1)],
      [line(100, 1)],
      2390,
    ],
    ['items only', [item(2390, 1), item(450, 2)], undefined, undefined, 3290],
    ['payPrice times quantity', [item(450, 3)], [], [], 1350],
    ['fees times quantity', [item(1000, 1)], [line(100, 2), line(50, 1)], undefined, 1250],
    ['discounts times quantity', [item(1000, 1)], undefined, [line(100, 3)], 700],
    ['price is not what is paid', [{ ...item(2390, 1), price: 9999 }], undefined, undefined, 2390],
    ['free', [item(0, 5)], undefined, undefined, 0],
    ['discounts beyond the total give a negative figure', [item(100, 1)], undefined, [line(300, 1)], -200],
  ])('%s', (_name, items, fees, discounts, expected) => {
    expect(computeOrderAmount({ items, fees, discounts })).toBe(expected);
  });
});
