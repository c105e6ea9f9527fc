import {
  CATE_PHYSICAL,
  CATE_VIRTUAL,
  type CateID,
  type MainStatus,
  type SubStatus,
} from '../../lib/order-center/types';
import type { StoredOrder } from '../../local/order-center';

/**
 * docs/contract.md section 4: placed < paid < shipped < completed, and closed ends it. The statuses of each step
 * depend on the order's CateID.
 */
const MAIN_RANK: Readonly<Record<CateID, Partial<Record<MainStatus, number>>>> = {
  [CATE_PHYSICAL]: { 1: 0, 5: 1, 6: 2, 200: 3, 100: 4 },
  [CATE_VIRTUAL]: { 1: 0, 2: 1, 4: 2, 200: 3, 100: 4 },
};

/** requested < processing < settled (refunded, exchanged, closed or rejected: a settled refund stays settled). */
const SUB_RANK: Readonly<Record<SubStatus, number>> = { 400: 0, 401: 1, 402: 2, 403: 2, 404: 2, 407: 2 };

/**
 * Every status change in the Order Center's history of the order that did not move it forward. The
 * histories keep changes only, so each step must rank strictly above the one before.
 */
export function backwardMoves(order: StoredOrder): string[] {
  const id = order.data.ResourceID;
  const ranks = MAIN_RANK[order.data.CateID];
  const problems: string[] = [];
  order.statusHistory.forEach(({ status }, i) => {
    const rank = ranks[status];
    if (rank === undefined)
      problems.push(`${id}: status ${status} is not one this service sets for CateID ${order.data.CateID}`);
    const before = i > 0 ? order.statusHistory[i - 1]!.status : undefined;
    if (before !== undefined && rank !== undefined && (ranks[before] ?? Infinity) >= rank) {
      problems.push(`${id}: status moved from ${before} to ${status}`);
    }
  });
  for (const [subOrderId, history] of Object.entries(order.subStatusHistory)) {
    history.forEach((status, i) => {
      const before = history[i - 1];
      if (before !== undefined && SUB_RANK[before] >= SUB_RANK[status]) {
        problems.push(`${id}/${subOrderId}: SubStatus moved from ${before} to ${status}`);
      }
    });
  }
  return problems;
}

/** How many status changes the histories hold: what the monotonicity check looked at. */
export function statusChanges(order: StoredOrder): number {
  return order.statusHistory.length + Object.values(order.subStatusHistory).reduce((n, h) => n + h.length, 0);
}
