/**
 * Items of the ledger table that are not orders: the call budget's per-second counters (lib/budget) live
 * in the same table under `~budget <epoch second>`. An order id never holds whitespace (lib/events), so no
 * order is ever one of them. Whatever lists or scans orders leaves them out with this filter.
 */
export const BUDGET_KEY_PREFIX = '~budget ';

/** A DynamoDB filter that keeps orders only, with its value (merge both into the request). */
export const ORDERS_ONLY = {
  filter: 'NOT begins_with(orderId, :reservedKey)',
  values: { ':reservedKey': BUDGET_KEY_PREFIX },
} as const;

/** True when an item's key is an order's (not a budget counter's). */
export function isOrderKey(orderId: string): boolean {
  return !orderId.startsWith(BUDGET_KEY_PREFIX);
}
