/**
 * Merchant events (docs/contract.md section 3) and the facts they record.
 * Amounts are integers in fen; times are Unix seconds.
 */

export type DetailPageStatusName = 'hidden' | 'shown' | 'linked';

export interface DetailPageInput {
  status?: DetailPageStatusName;
  name?: string;
  h5?: string;
  swan?: string;
  iphone?: string;
  android?: string;
}

export interface SkuInput {
  name: string;
  value: string;
}

export interface OrderItemInput {
  id: string;
  name: string;
  description?: string;
  quantity: number;
  price: number;
  payPrice: number;
  images?: string[];
  sku?: SkuInput[];
  detail?: DetailPageInput;
}

export interface AmountLine {
  name: string;
  amount: number;
  quantity: number;
}

export type OrderCategory = 'physical' | 'virtual';
export type PaymentMethodName = 'online' | 'cash-on-delivery';

/** The merchant's snapshot of an order: what the Order Center shows besides status and after-sale. */
export interface OrderSnapshot {
  openId: string;
  category: OrderCategory;
  title: string;
  createdAt: number;
  items: OrderItemInput[];
  fees?: AmountLine[];
  discounts?: AmountLine[];
  paymentMethod?: PaymentMethodName;
  detail?: DetailPageInput;
  appraise?: DetailPageInput;
}

export interface PaymentInput {
  paidAt: number;
  amount?: number;
  cashierOrderId?: string;
}

export interface ShipmentInput {
  shippedAt?: number;
  /** Baidu's carrier code (Express.Code), e.g. SFEXPRESS; physical orders only */
  carrier?: string;
  /** the carrier's name as the user sees it; from the known code table when absent */
  carrierName?: string;
  /** the tracking number (Express.ID): required when carrier is given */
  trackingNo?: string;
}

/** The buyer's parcel back to the merchant for an after-sale order (Express.Type 2). */
export interface ReturnShipmentInput {
  carrier: string;
  carrierName?: string;
  trackingNo: string;
}

export type RefundType = 'refund-only' | 'exchange' | 'return-and-refund';
export type RefundStatus = 'requested' | 'processing' | 'refunded' | 'exchanged' | 'closed' | 'rejected';

export interface RefundItemInput {
  id: string;
  quantity: number;
  amount: number;
}

/** A refund as an event carries it. refund-requested carries it whole; refund-updated may carry only id and status. */
export interface RefundInput {
  id: string;
  type?: RefundType;
  status?: RefundStatus;
  amount?: number;
  items?: RefundItemInput[];
  createdAt?: number;
  detail?: DetailPageInput;
  /** Baidu cashier's refundBatchId for this refund, when the merchant knows it: links the cashier's refund result to it */
  baiduRefundBatchId?: string;
  /** the buyer's parcel back, once the merchant knows it (physical orders only) */
  returnShipment?: ReturnShipmentInput;
}

/** The merchant event types, by the route that takes them (`POST /events/<type>`). */
export type MerchantEventType =
  | 'order-placed'
  | 'payment-succeeded'
  | 'shipped'
  | 'order-completed'
  | 'order-closed'
  | 'refund-requested'
  | 'refund-updated';

export const MERCHANT_EVENT_TYPES: readonly MerchantEventType[] = [
  'order-placed',
  'payment-succeeded',
  'shipped',
  'order-completed',
  'order-closed',
  'refund-requested',
  'refund-updated',
];

/** What a fact says happened to the order. */
export type FactKind =
  | 'placed'
  | 'paid'
  | 'shipped'
  | 'completed'
  | 'closed'
  | 'refund-requested'
  | 'refund-updated'
  | 'refund-audit'
  | 'refund-result';

/** Where a fact came from. */
export type FactSource = 'merchant' | 'cashier';

/** What the Baidu cashier said about a payment, kept for reconciliation and anomaly checks. */
export interface CashierPayment {
  /** the cashier's own order id (-> scene_id) */
  orderId: string;
  userId: string;
  totalMoney: number;
  payMoney: number;
  dealId: string;
  payTime: number;
  /** 2 paid, -1 cancelled */
  status: number;
  /** how it was learnt: absent for a notify Baidu posted; 'query' when reconcile asked (findByTpOrderId, CONTRACT section 5c) */
  via?: 'query';
}

/** What Baidu's cashier posted about one refund batch (docs/contract.md section 5b): the audit's question or the result. */
export interface CashierRefund {
  /** the cashier's own order id */
  orderId: string;
  userId: string;
  refundBatchId: string;
  /** fen; the audit's question, absent from older callers */
  applyRefundMoney?: number;
  /** the result: 1 succeeded, 2 failed */
  refundStatus?: 1 | 2;
}

/** How Baidu's refund audit is answered: the policies of docs/contract.md section 5b. */
export type RefundAuditPolicy = 'match' | 'approve' | 'manual';

/** auditStatus of the reply: 1 approve, 2 reject, 3 undecided (Baidu asks again). */
export type AuditStatus = 1 | 2 | 3;

/** What was answered to a refund audit, and why. */
export interface RefundAuditAnswer {
  auditStatus: AuditStatus;
  /** calculateRes.refundPayMoney, fen; 0 unless approved */
  refundPayMoney: number;
  /** for a person: why this answer */
  reason: string;
  policy: RefundAuditPolicy;
  /** the policy answered on its own, or an operator decided (reconcile's refundAudit command) */
  decidedBy: 'policy' | 'operator';
  /** the merchant refund (after-sale order) this batch is for, when known: the refund result moves it */
  refundId?: string;
}

/**
 * One recorded fact. Every fact may carry a snapshot (`order`); the newest snapshot by occurredAt wins.
 * Facts are what the ledger stores (keyed by eventId) and what the projection folds.
 */
export interface Fact {
  eventId: string;
  kind: FactKind;
  source: FactSource;
  orderId: string;
  occurredAt: number;
  order?: OrderSnapshot;
  payment?: PaymentInput;
  shipment?: ShipmentInput;
  refund?: RefundInput;
  reason?: string;
  cashier?: CashierPayment;
  /** refund-audit and refund-result: what the cashier posted */
  cashierRefund?: CashierRefund;
  /** refund-audit: what was answered */
  audit?: RefundAuditAnswer;
  /**
   * Set by the ledger, never by a sender: this fact brought a snapshot that a later one superseded, and
   * the ledger kept only what the projection still needs of it, the amount it computed.
   */
  snapshotAmount?: number;
}
