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

/** The form body Baidu posts: the fields and their rsaSign, signed as the cashier platform signs. */
export function signedNotifyForm(fields: Record<string, string>, privateKey: string | KeyObject): string {
  return new URLSearchParams({ ...fields, rsaSign: signCashierFields(fields, privateKey) }).toString();
}
