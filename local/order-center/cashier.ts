import type { FieldIssue } from './model';
import { gatewayError, TOKEN_EXPIRED, TOKEN_INVALID, type Answer } from './replies';
import type { TokenRegistry } from './tokens';

/**
 * The cashier's side of the local Baidu: the payments it knows, and its query by the merchant's order id
 * (findByTpOrderId). A second reading of Baidu's reply, from the Go SDK's FindByTpOrderIDResponsedata
 * (openapi/findByTpOrderId.go): every field it has, int64s as JSON numbers. It imports nothing of lib/.
 */
export const FIND_BY_TP_ORDER_ID = '/rest/2.0/smartapp/pay/paymentservice/findByTpOrderId';

/** One payment the local cashier took (or one left unpaid, status 1). */
export interface KnownPayment {
  /** the merchant's order id */
  tpOrderId: string;
  /** the cashier's own order id: digits (an int64 at Baidu) */
  orderId: string;
  /** fen */
  totalMoney: number;
  payMoney: number;
  /** 1 unpaid, 2 paid */
  status: 1 | 2;
  userId: string;
  dealId: string;
  /** Unix seconds */
  createTime: number;
}

const DIGITS = /^\d{1,19}$/;

/** Checks a payment a test, the demo or `npm run cashier` hands the local cashier. */
export function paymentIssues(input: unknown): FieldIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ path: '', message: 'must be a JSON object' }];
  }
  const p = input as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  if (typeof p.tpOrderId !== 'string' || !/^\S{1,128}$/.test(p.tpOrderId))
    issues.push({ path: 'tpOrderId', message: 'must be an order id (1-128 characters, no spaces)' });
  for (const key of ['orderId', 'userId', 'dealId'] as const) {
    if (p[key] !== undefined && (typeof p[key] !== 'string' || !DIGITS.test(p[key])))
      issues.push({ path: key, message: 'must be digits (an int64 at Baidu)' });
  }
  for (const key of ['totalMoney', 'payMoney'] as const) {
    if (p[key] !== undefined && !(Number.isSafeInteger(p[key]) && (p[key] as number) >= 0))
      issues.push({ path: key, message: 'must be an amount in fen (an integer >= 0)' });
  }
  if (p.totalMoney === undefined) issues.push({ path: 'totalMoney', message: 'is required' });
  if (p.status !== undefined && p.status !== 1 && p.status !== 2)
    issues.push({ path: 'status', message: 'must be 1 (unpaid) or 2 (paid)' });
  return issues;
}

/** The payments the local cashier knows, by tpOrderId (the latest one given for an order wins). */
export class CashierBook {
  private readonly payments = new Map<string, KnownPayment>();
  private seq = 0;

  /** Records a checked payment (see paymentIssues); ids and amounts not given take local defaults. */
  record(
    input: Partial<KnownPayment> & { tpOrderId: string; totalMoney: number },
    now: number,
  ): KnownPayment {
    this.seq += 1;
    const payment: KnownPayment = {
      tpOrderId: input.tpOrderId,
      orderId: input.orderId ?? String(86_000_000_000 + this.seq),
      totalMoney: input.totalMoney,
      payMoney: input.payMoney ?? input.totalMoney,
      status: input.status ?? 2,
      userId: input.userId ?? '2484',
      dealId: input.dealId ?? '470193086',
      createTime: input.createTime ?? now,
    };
    this.payments.set(payment.tpOrderId, payment);
    return payment;
  }

  find(tpOrderId: string): KnownPayment | undefined {
    return this.payments.get(tpOrderId);
  }

  all(): KnownPayment[] {
    return [...this.payments.values()];
  }

  clear(): void {
    this.payments.clear();
  }
}

/** JSON with the int64 fields written as numbers of exactly their digits (no double in between). */
function replyText(payment: KnownPayment, appKey: string): string {
  const int64 = (digits: string) => (DIGITS.test(digits) ? digits : JSON.stringify(digits));
  const fields: [string, string][] = [
    ['appId', '0'],
    ['appKey', int64(appKey)],
    ['bizInfo', JSON.stringify('')],
    ['count', '1'],
    ['createTime', String(payment.createTime)],
    ['dealId', int64(payment.dealId)],
    ['openId', '0'],
    ['orderId', int64(payment.orderId)],
    ['oriPrice', String(payment.totalMoney)],
    ['parentOrderId', '0'],
    ['parentType', '0'],
    ['payMoney', String(payment.payMoney)],
    ['settlePrice', String(payment.payMoney)],
    ['status', String(payment.status)],
    ['subStatus', '0'],
    ['totalMoney', String(payment.totalMoney)],
    ['tpId', '0'],
    ['tpOrderId', JSON.stringify(payment.tpOrderId)],
    ['tradeNo', JSON.stringify(payment.status === 2 ? `T${payment.orderId}` : '')],
    ['type', '0'],
    ['userId', int64(payment.userId)],
  ];
  const data = `{${fields.map(([k, v]) => `"${k}":${v}`).join(',')}}`;
  return `{"errno":0,"msg":"success","data":${data}}`;
}

/**
 * GET findByTpOrderId?access_token&tpOrderId&pmAppKey: the payment the cashier knows for tpOrderId
 * (paid, or taken and left unpaid), errno 10002 when it has none, 2002 naming a missing parameter.
 */
export function answerCashierQuery(query: URLSearchParams, tokens: TokenRegistry, book: CashierBook): Answer {
  const token = tokens.check(query.get('access_token') ?? '');
  if (!token.ok) return gatewayError(token.reason === 'expired' ? TOKEN_EXPIRED : TOKEN_INVALID);
  for (const name of ['tpOrderId', 'pmAppKey']) {
    if (!query.get(name)) {
      return { status: 200, body: { errno: 2002, msg: `param error: ${name} is required`, data: {} } };
    }
  }
  const payment = book.find(query.get('tpOrderId') as string);
  if (!payment) return { status: 200, body: { errno: 10002, msg: 'order not found', data: {} } };
  return {
    status: 200,
    body: replyText(payment, token.appKey),
    contentType: 'application/json; charset=utf-8',
  };
}
