import type {
  DetailPageInput,
  Fact,
  RefundInput,
  RefundItemInput,
  RefundStatus,
  RefundType,
} from '../events/types';
import type { OrderType, SubOrderItem, SubsOrder, SubStatus } from '../order-center/types';
import { InvalidInputError } from '../validation';
import { toDetailPage } from './detail-page';
import type { Anomaly } from './types';

const SUB_STATUS: Readonly<Record<RefundStatus, SubStatus>> = {
  requested: 400,
  processing: 401,
  refunded: 402,
  exchanged: 403,
  closed: 404,
  rejected: 407,
};

/** A refund never goes back: requested < processing < any terminal status. */
const STATUS_RANK: Readonly<Record<RefundStatus, number>> = {
  requested: 0,
  processing: 1,
  refunded: 2,
  exchanged: 2,
  closed: 2,
  rejected: 2,
};

const ORDER_TYPE: Readonly<Record<RefundType, OrderType>> = {
  'refund-only': 1,
  exchange: 2,
  'return-and-refund': 3,
};

/** One refund as its facts so far describe it; later facts (in fold order) override the fields they carry. */
interface RefundDraft {
  id: string;
  type?: RefundType;
  amount?: number;
  items?: RefundItemInput[];
  createdAt?: number;
  detail?: DetailPageInput;
  status?: RefundStatus;
  /** the event of the first refund-requested fact, if any */
  requestEventId?: string;
  /** occurredAt of the first refund-requested fact, else of the first fact */
  openedAt: number;
  /** occurredAt and fold position of the last fact about this refund */
  lastAt: number;
  lastPosition: number;
  updateEventIds: string[];
}

function mergeRefund(draft: RefundDraft, refund: RefundInput): void {
  if (refund.type !== undefined) draft.type = refund.type;
  if (refund.amount !== undefined) draft.amount = refund.amount;
  if (refund.items !== undefined) draft.items = refund.items;
  if (refund.createdAt !== undefined) draft.createdAt = refund.createdAt;
  if (refund.detail !== undefined) draft.detail = refund.detail;
}

function toSubOrderItem(
  draft: RefundDraft,
  type: RefundType,
  amount: number,
  items: RefundItemInput[],
): SubOrderItem {
  const item: SubOrderItem = {
    SubOrderID: draft.id,
    SubStatus: SUB_STATUS[draft.status ?? 'requested'],
    CTime: draft.createdAt ?? draft.openedAt,
    MTime: draft.lastAt,
    OrderType: ORDER_TYPE[type],
    Refund: {
      Amount: amount,
      Product: items.map((product) => ({
        ID: product.id,
        Quantity: product.quantity,
        Amount: product.amount,
      })),
    },
  };
  if (draft.detail !== undefined) item.OrderDetail = toDetailPage(draft.detail);
  return item;
}

function compareItems(a: SubOrderItem, b: SubOrderItem): number {
  if (a.CTime !== b.CTime) return a.CTime - b.CTime;
  if (a.SubOrderID === b.SubOrderID) return 0;
  return a.SubOrderID < b.SubOrderID ? -1 : 1;
}

export interface AfterSale {
  /** absent when no refund made it into an after-sale order */
  subsOrder?: SubsOrder;
  /** the latest occurredAt among the facts that shaped the after-sale orders (0 if none) */
  lastChangedAt: number;
  anomalies: Anomaly[];
}

/**
 * Folds refund-requested and refund-updated facts, given in fold order, into after-sale orders.
 * Statuses are ranked (ties go to the later fact), so a late or repeated update never moves one back.
 */
export class AfterSaleFold {
  private readonly drafts = new Map<string, RefundDraft>();
  private readonly cashierAnomalies: Anomaly[] = [];
  private position = 0;

  /** `links`: refundBatchId -> refund id (refundLinks), so that Baidu's refund results find their refund. */
  constructor(private readonly links: ReadonlyMap<string, string> = new Map()) {}

  /** Takes any fact; only refund facts (merchant refunds and the cashier's refund results) count. */
  record(fact: Fact): void {
    if (fact.kind === 'refund-result') {
      this.recordCashierResult(fact);
      return;
    }
    if (fact.kind !== 'refund-requested' && fact.kind !== 'refund-updated') return;
    this.recordRefund(fact, fact.refund);
  }

  /**
   * Baidu's refund result: a success moves the linked refund to refunded, as a merchant refund-updated
   * would; a failure leaves it where it is and is for a person to look at. A result linked to nothing yet
   * changes nothing until a link comes (the fact is kept, and every projection looks again).
   */
  private recordCashierResult(fact: Fact): void {
    const result = fact.cashierRefund;
    if (result === undefined) {
      throw new InvalidInputError(
        [{ path: 'cashierRefund', message: 'is required' }],
        `fact ${fact.eventId} (${fact.kind})`,
      );
    }
    const refundBatchId = result.refundBatchId;
    const refundId = this.links.get(refundBatchId);
    if (result.refundStatus !== 1) {
      this.cashierAnomalies.push({
        code: 'cashier-refund-failed',
        eventId: fact.eventId,
        refundBatchId,
        ...(refundId === undefined ? {} : { refundId }),
      });
      return;
    }
    if (refundId === undefined) {
      this.cashierAnomalies.push({ code: 'refund-result-unlinked', eventId: fact.eventId, refundBatchId });
      return;
    }
    this.recordRefund(fact, { id: refundId, status: 'refunded' });
  }

  private recordRefund(fact: Fact, refund: RefundInput | undefined): void {
    if (refund === undefined) {
      throw new InvalidInputError(
        [{ path: 'refund', message: 'is required' }],
        `fact ${fact.eventId} (${fact.kind})`,
      );
    }
    const requested = fact.kind === 'refund-requested';
    let draft = this.drafts.get(refund.id);
    if (draft === undefined) {
      draft = { id: refund.id, openedAt: fact.occurredAt, lastAt: 0, lastPosition: 0, updateEventIds: [] };
      this.drafts.set(refund.id, draft);
    }
    if (requested && draft.requestEventId === undefined) {
      draft.requestEventId = fact.eventId;
      draft.openedAt = fact.occurredAt;
    }
    if (!requested) draft.updateEventIds.push(fact.eventId);
    mergeRefund(draft, refund);
    const status = refund.status ?? (requested ? 'requested' : undefined);
    if (
      status !== undefined &&
      (draft.status === undefined || STATUS_RANK[status] >= STATUS_RANK[draft.status])
    ) {
      draft.status = status;
    }
    draft.lastAt = fact.occurredAt;
    draft.lastPosition = this.position++;
  }

  result(): AfterSale {
    const items: SubOrderItem[] = [];
    const anomalies: Anomaly[] = [...this.cashierAnomalies];
    let lastChangedAt = 0;
    let latest: { status: SubStatus; position: number } | undefined;
    for (const draft of this.drafts.values()) {
      const { type, amount, items: refunded } = draft;
      if (type === undefined || amount === undefined || refunded === undefined) {
        if (draft.requestEventId !== undefined) throw incompleteRequest(draft);
        for (const eventId of draft.updateEventIds) {
          anomalies.push({ code: 'refund-without-request', refundId: draft.id, eventId });
        }
        continue;
      }
      const item = toSubOrderItem(draft, type, amount, refunded);
      items.push(item);
      if (draft.lastAt > lastChangedAt) lastChangedAt = draft.lastAt;
      if (latest === undefined || draft.lastPosition > latest.position) {
        latest = { status: item.SubStatus, position: draft.lastPosition };
      }
    }
    if (latest === undefined) return { lastChangedAt, anomalies };
    return {
      subsOrder: { Status: latest.status, Items: items.sort(compareItems) },
      lastChangedAt,
      anomalies,
    };
  }
}

/** A refund-requested fact must carry the whole refund; the event parser guarantees it, so this is a defect. */
function incompleteRequest(draft: RefundDraft): InvalidInputError {
  const missing = (['type', 'amount', 'items'] as const).filter((field) => draft[field] === undefined);
  return new InvalidInputError(
    missing.map((field) => ({ path: `refund.${field}`, message: 'is required' })),
    `refund ${draft.id} requested by fact ${draft.requestEventId}`,
  );
}
