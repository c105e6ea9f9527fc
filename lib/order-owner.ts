import type { Fact } from './events/types';
import type { LedgerItem } from './ledger/types';
import { canonicalFacts } from './projection/facts';
import type { FieldIssue } from './validation';

/**
 * A snapshot gives a known order another user: Baidu keys orders by (ResourceID, open_id), so it would
 * show a second copy of the order to that user while the first one's stays as it was.
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

/** The user an order belongs to: the openId of its first snapshot (fold order), undefined before one. */
export function orderOwner(item: Pick<LedgerItem, 'orderId' | 'facts'>): string | undefined {
  return canonicalFacts(item.orderId, item.facts).find((fact) => fact.order !== undefined)?.order?.openId;
}

/**
 * An order's openId is fixed by its first snapshot (CONTRACT section 3). A fact whose eventId is already
 * recorded is the duplicate decision's, not this rule's: an exact re-delivery is never refused here.
 */
export function checkOrderOwner(item: Pick<LedgerItem, 'orderId' | 'facts'> | undefined, fact: Fact): void {
  if (!item || !fact.order) return;
  if (item.facts.some((recorded) => recorded.eventId === fact.eventId)) return;
  const owner = orderOwner(item);
  if (owner !== undefined && owner !== fact.order.openId)
    throw new OrderOwnerChangedError(fact.orderId, owner);
}
