import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { IntakeReply } from '../intake';
import type { FieldIssue } from '../validation';

/** What an HTTP route answers: always a status, a JSON content type and a JSON body. */
export interface HttpReply extends APIGatewayProxyStructuredResultV2 {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** How a route refuses: merchant JSON errors (CONTRACT section 6) or the cashier errno shape (section 5). */
export type ReplyStyle = 'merchant' | 'cashier';

/** The body of every refusal, naming each offending field. */
export interface ErrorBody {
  error: { code: string; message: string; details: FieldIssue[] };
}

/** The cashier's refusal: Baidu reads errno; the error object says why, as it does to merchants. */
export interface CashierRefusalBody extends ErrorBody {
  errno: number;
  msg: string;
}

export interface Refusal {
  status: number;
  code: string;
  message: string;
  details: readonly FieldIssue[];
}

const json = (statusCode: number, body: unknown): HttpReply => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

/** 202: the event is recorded (or was already: `duplicate`). */
export function acceptedReply(reply: IntakeReply): HttpReply {
  const { orderId, eventId, duplicate, sync } = reply;
  return json(202, { orderId, eventId, duplicate, sync });
}

/** What Baidu's cashier must receive once a notify is recorded, or it keeps retrying. */
export const CASHIER_SUCCESS = { errno: 0, msg: 'success', data: { isConsumed: 2 } } as const;

export function cashierSuccessReply(): HttpReply {
  return json(200, CASHIER_SUCCESS);
}

/** The refund audit's answer as Baidu reads it (CONTRACT section 5b): refundPayMoney even on reject. */
export interface RefundAuditReplyBody {
  errno: 0;
  msg: 'success';
  data: { auditStatus: 1 | 2 | 3; calculateRes: { refundPayMoney: number } };
}

export function refundAuditReply(answer: { auditStatus: 1 | 2 | 3; refundPayMoney: number }): HttpReply {
  const body: RefundAuditReplyBody = {
    errno: 0,
    msg: 'success',
    data: { auditStatus: answer.auditStatus, calculateRes: { refundPayMoney: answer.refundPayMoney } },
  };
  return json(200, body);
}

/** What Baidu's cashier must receive once a refund result is recorded. */
export const CASHIER_REFUND_NOTIFY_SUCCESS = { errno: 0, msg: 'success', data: {} } as const;

export function refundNotifyReply(): HttpReply {
  return json(200, CASHIER_REFUND_NOTIFY_SUCCESS);
}

const errorBody = (refusal: Refusal): ErrorBody => ({
  error: { code: refusal.code, message: refusal.message, details: [...refusal.details] },
});

/**
 * A refusal in the route's style. The cashier's errno is the HTTP status: never 0, and it says the same
 * thing to whoever reads Baidu's notify log without the HTTP status beside it.
 */
export function refusalReply(style: ReplyStyle, refusal: Refusal): HttpReply {
  if (style === 'cashier') {
    const body: CashierRefusalBody = { errno: refusal.status, msg: refusal.message, ...errorBody(refusal) };
    return json(refusal.status, body);
  }
  return json(refusal.status, errorBody(refusal));
}

/** A genuine internal fault: the reply says nothing about it (the log does). */
export const INTERNAL_ERROR: Refusal = {
  status: 500,
  code: 'internal_error',
  message: 'internal error; the event may not be recorded, retry later',
  details: [],
};
