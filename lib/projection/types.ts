import type { OrderData } from '../order-center/types';
import type { Parcel } from './logistics';

export interface ProjectionConfig {
  /** the mini-program's AppKey (-> BizAPPID) */
  bizAppId: string;
  /**
   * Unix seconds: when the projection is made, which decides whether a cashier cancel has waited long
   * enough to close an unpaid order. Without it, no cancel closes an order (the projection stays pure).
   */
  now?: number;
  /** how long a cashier cancel waits (PAYMENT_CHECK_AFTER_MINUTES); default 15 minutes */
  cancelAfterSeconds?: number;
  /** CASHIER_DEAL_ID: cashier callbacks naming another dealId change nothing (anomalies); undefined: not checked */
  cashierDealId?: string;
}

/** Something in the facts that a person should look at; it changes nothing in the view. */
export type Anomaly =
  | { code: 'cashier-amount-mismatch'; eventId: string; expected: number; received: number }
  | { code: 'refund-without-request'; refundId: string; eventId: string }
  | { code: 'cashier-refund-failed'; eventId: string; refundBatchId: string; refundId?: string }
  | { code: 'refund-result-unlinked'; eventId: string; refundBatchId: string }
  /** a cashier cancel of an order already paid, shipped or completed (CONTRACT section 5) */
  | { code: 'cashier-cancel-after-progress'; eventId: string }
  /** a cashier callback of another merchant's deal (CASHIER_DEAL_ID) */
  | { code: 'cashier-foreign-deal'; eventId: string; dealId: string };

/** The order as the Order Center should show it, with what the calls need besides the body. */
export interface OrderView {
  /** exactly the add/main/info Data item */
  data: OrderData;
  /** -> open_id query parameter */
  openId: string;
  /**
   * the parcels Baidu should show (add/main/logistics), at most one per Express.Type, shipment first;
   * not part of `data`: no other call carries them
   */
  logistics: Parcel[];
  /** the cashier's order id, where a paid fact carries one -> scene_id query parameter */
  sceneId?: string;
  anomalies: Anomaly[];
  /** Unix seconds: the view will change then with no new fact (a cashier cancel's wait ends) */
  dueAt?: number;
}

export type Projection =
  | { ready: true; view: OrderView }
  | { ready: false; reason: 'no-snapshot'; paidByCashier: boolean; anomalies: Anomaly[] };
