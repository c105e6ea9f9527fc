import type { CashierPayment, Fact } from './types';

/** What the cashier's query answered about a paid order (lib/cashier's CashierQueryAnswer, status 2). */
export interface PaidByQuery {
  tpOrderId: string;
  orderId: string;
  totalMoney: number;
  payMoney: number;
  userId: string;
  dealId: string;
}

/**
 * The fact a query's "paid" records (CONTRACT section 5c): the one a notify of that payment records
 * (parseCashierNotify), under the same eventId, so that the notify, if it comes after all, is a duplicate of
 * it, and the projection checks its amount as a notify's. The query tells no payment time: the time of the
 * answer stands for it (the payment was no later), and the ledger's fingerprint of a cashier payment leaves
 * times out, so the notify's own payTime does not make it a conflict.
 */
export function cashierQueryFact(paid: PaidByQuery, answeredAt: number): Fact {
  const cashier: CashierPayment = {
    orderId: paid.orderId,
    userId: paid.userId,
    totalMoney: paid.totalMoney,
    payMoney: paid.payMoney,
    dealId: paid.dealId,
    payTime: answeredAt,
    status: 2,
    via: 'query',
  };
  return {
    eventId: `cashier:${paid.orderId}:2`,
    source: 'cashier',
    orderId: paid.tpOrderId,
    kind: 'paid',
    occurredAt: answeredAt,
    payment: { paidAt: answeredAt, amount: paid.totalMoney, cashierOrderId: paid.orderId },
    cashier,
  };
}
