import type { FieldIssue } from './validation';

/**
 * A snapshot gives a known order another user: Baidu keys orders by (ResourceID, open_id), so it would
 * show a second copy of the order to that user while the first one's stays as it was. An order's openId
 * is fixed by its first snapshot (CONTRACT section 3): the ledger's write refuses any other (its result
 * `owner-conflict`), and an eventId already recorded is the duplicate decision's, never refused for this.
 */
export class OrderOwnerChangedError extends Error {
  override readonly name = 'OrderOwnerChangedError';
  readonly issues: FieldIssue[];
  constructor(
    readonly orderId: string,
    readonly owner: string,
  ) {
    const message = `must be the openId order ${orderId} was placed with; another user's order needs its own orderId`;
    super(`order.openId ${message}`);
    this.issues = [{ path: 'order.openId', message }];
  }
}
