import type { FactKind, OrderCategory } from '../events/types';
import { CATE_PHYSICAL, CATE_VIRTUAL, type CateID, type MainStatus } from '../order-center/types';

export const CATE_BY_CATEGORY: Readonly<Record<OrderCategory, CateID>> = {
  physical: CATE_PHYSICAL,
  virtual: CATE_VIRTUAL,
};

/** The facts that move an order forward, by rank: a lower one never undoes a higher one. */
const FORWARD_RANK: Readonly<Partial<Record<FactKind, number>>> = {
  placed: 0,
  paid: 1,
  shipped: 2,
  completed: 3,
};

/** Status by forward rank (placed, paid, shipped, completed), per category (docs/contract.md section 4). */
const STATUS_BY_RANK: Readonly<Record<OrderCategory, readonly MainStatus[]>> = {
  physical: [1, 5, 6, 200],
  virtual: [1, 2, 4, 200],
};

const CLOSED: MainStatus = 100;

/**
 * Folds status facts into the main order status. The result is a maximum plus a flag, so the order in
 * which facts arrive cannot change it: the highest rank reached wins, and a closed fact ends the order.
 */
export class StatusFold {
  private rank = 0;
  private closed = false;

  /** Takes any fact kind; those that say nothing about the main status are ignored. */
  record(kind: FactKind): void {
    if (kind === 'closed') {
      this.closed = true;
      return;
    }
    const rank = FORWARD_RANK[kind];
    if (rank !== undefined && rank > this.rank) this.rank = rank;
  }

  /** Whether anything moved the order past placed (paid, shipped, completed), closed or not. */
  progressed(): boolean {
    return this.rank > 0;
  }

  isClosed(): boolean {
    return this.closed;
  }

  status(category: OrderCategory): MainStatus {
    return this.closed ? CLOSED : STATUS_BY_RANK[category][this.rank];
  }
}
