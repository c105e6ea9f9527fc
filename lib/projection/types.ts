import type { OrderData } from '../order-center/types';

export interface ProjectionConfig {
  /** the mini-program's AppKey (-> BizAPPID) */
  bizAppId: string;
}

/** Something in the facts that a person should look at; it changes nothing in the view. */
export type Anomaly =
  | { code: 'cashier-amount-mismatch'; eventId: string; expected: number; received: number }
  | { code: 'refund-without-request'; refundId: string; eventId: string }
  | { code: 'cashier-refund-failed'; eventId: string; refundBatchId: string; refundId?: string }
  | { code: 'refund-result-unlinked'; eventId: string; refundBatchId: string };

/** The order as the Order Center should show it, with what the calls need besides the body. */
export interface OrderView {
  /** exactly the add/main/info Data item */
  data: OrderData;
  /** -> open_id query parameter */
  openId: string;
  /** the cashier's order id, where a paid fact carries one -> scene_id query parameter */
  sceneId?: string;
  anomalies: Anomaly[];
}

export type Projection =
  | { ready: true; view: OrderView }
  | { ready: false; reason: 'no-snapshot'; paidByCashier: boolean; anomalies: Anomaly[] };
