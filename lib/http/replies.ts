import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { IntakeReply } from '../intake';
import type { FieldIssue } from '../validation';

/** What an HTTP route answers: always a status, a JSON content type and a JSON body. */
export interface HttpReply extends APIGatewayProxyStructuredResultV2 {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** How a route refuses: merchant JSON errors (docs/contract.md section 6) or the cashier errno shape (section 5). */
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

/** The refund audit's answer as Baidu reads it (docs/contract.md section 5b): refundPayMoney even on reject. */
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

/** A refusal names at most this many fields: enough to fix a request, too few to amplify one. */
export const MAX_REFUSAL_DETAILS = 20;
/** No refusal is longer than this (bytes of the JSON body), whatever was posted (CONTRACT section 5). */
export const MAX_REFUSAL_BYTES = 8192;
const MAX_MESSAGE = 200;
const MAX_PATH = 80;
const MAX_DETAIL_MESSAGE = 120;

/** Cut to `max` code points at most, marked with an ellipsis when cut (paths can be keys the sender chose). */
function clip(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/** The refusal as it is sent: at most MAX_REFUSAL_DETAILS fields, each cut short, the rest counted. */
function bounded(refusal: Refusal, details: number): Refusal {
  const kept = refusal.details.slice(0, details).map((detail) => ({
    path: clip(detail.path, MAX_PATH),
    message: clip(detail.message, MAX_DETAIL_MESSAGE),
  }));
  const left = refusal.details.length - kept.length;
  const message = clip(refusal.message, MAX_MESSAGE);
  return {
    ...refusal,
    message: left > 0 ? `${message} (${left} more fields not listed)` : message,
    details: kept,
  };
}

const errorBody = (refusal: Refusal): ErrorBody => ({
  error: { code: refusal.code, message: refusal.message, details: [...refusal.details] },
});

function styled(style: ReplyStyle, refusal: Refusal): HttpReply {
  if (style === 'cashier') {
    const body: CashierRefusalBody = { errno: refusal.status, msg: refusal.message, ...errorBody(refusal) };
    return json(refusal.status, body);
  }
  return json(refusal.status, errorBody(refusal));
}

/**
 * A refusal in the route's style, never over MAX_REFUSAL_BYTES (fields are dropped from the end until it
 * fits). The cashier's errno is the HTTP status: never 0, and it says the same thing to whoever reads
 * Baidu's notify log without the HTTP status beside it.
 */
export function refusalReply(style: ReplyStyle, refusal: Refusal): HttpReply {
  for (let details = Math.min(MAX_REFUSAL_DETAILS, refusal.details.length); ; details -= 1) {
    const reply = styled(style, bounded(refusal, details));
    if (details === 0 || Buffer.byteLength(reply.body) <= MAX_REFUSAL_BYTES) return reply;
  }
}

/** A genuine internal fault: the reply says nothing about it (the log does). */
export const INTERNAL_ERROR: Refusal = {
  status: 500,
  code: 'internal_error',
  message: 'internal error; the event may not be recorded, retry later',
  details: [],
};
