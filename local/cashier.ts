import type { KeyObject } from 'node:crypto';
import { signCashierFields } from '../lib/events';

export interface PaidNotify {
  /** the merchant's order id (tpOrderId) */
  tpOrderId: string;
  /** the cashier's own order id (orderId -> scene_id) */
  cashierOrderId: string;
  /** fen */
  amount: number;
  /** Unix seconds */
  paidAt: number;
  userId?: string;
}

/**
 * The fields Baidu's cashier posts once a payment went through (CONTRACT section 5), unsigned: what the
 * demo, the tests and the reliability suites play Baidu with.
 */
export function paidNotifyFields(notify: PaidNotify): Record<string, string> {
  const amount = String(notify.amount);
  return {
    userId: notify.userId ?? '2484',
    orderId: notify.cashierOrderId,
    unitPrice: amount,
    count: '1',
    totalMoney: amount,
    payMoney: amount,
    promoMoney: '0',
    hbMoney: '0',
    hbBalanceMoney: '0',
    giftCardMoney: '0',
    dealId: '470193086',
    payTime: String(notify.paidAt),
    promoDetail: '',
    payType: '1087',
    partnerId: '6000001',
    status: '2',
    tpOrderId: notify.tpOrderId,
    returnData: '',
  };
}

/** The form body Baidu posts (any of its three callbacks): the fields and their rsaSign, signed as the cashier platform signs. */
export function signedNotifyForm(fields: Record<string, string>, privateKey: string | KeyObject): string {
  return new URLSearchParams({ ...fields, rsaSign: signCashierFields(fields, privateKey) }).toString();
}

/** One refund batch of Baidu's cashier: what both refund callbacks name (CONTRACT section 5b). */
export interface RefundBatch {
  /** the merchant's order id (tpOrderId) */
  tpOrderId: string;
  /** the cashier's own order id */
  cashierOrderId: string;
  refundBatchId: string;
  userId?: string;
}

/** The fields of Baidu's refund audit (退款审核), unsigned; applyRefundMoney left out as older callers do. */
export function refundAuditFields(
  batch: RefundBatch & { applyRefundMoney?: number },
): Record<string, string> {
  return {
    orderId: batch.cashierOrderId,
    userId: batch.userId ?? '2484',
    tpOrderId: batch.tpOrderId,
    refundBatchId: batch.refundBatchId,
    ...(batch.applyRefundMoney === undefined ? {} : { applyRefundMoney: String(batch.applyRefundMoney) }),
  };
}

/** The fields of Baidu's refund result (退款结果), unsigned: refundStatus 1 succeeded, 2 failed. */
export function refundResultFields(batch: RefundBatch & { succeeded: boolean }): Record<string, string> {
  return {
    orderId: batch.cashierOrderId,
    userId: batch.userId ?? '2484',
    tpOrderId: batch.tpOrderId,
    refundBatchId: batch.refundBatchId,
    refundStatus: batch.succeeded ? '1' : '2',
  };
}
