import { ValidationError, object, string, type InferType } from 'yup';
import { once } from '../once';
import { InvalidInputError, issuesFromYup } from '../validation';
import { unixNow, type UnixClock } from './clock';
import { MESSAGES, orderIdSchema } from './merchant-schema';
import type { CashierRefund, Fact, RefundAuditAnswer } from './types';

// Baidu cashier refund callbacks (docs/contract.md section 5b): refund audit (退款审核) and refund result (退款结果).
// Their form bodies are decoded and verified by the payment notify's parseFormBody and
// verifyCashierSignature (cashier-notify.ts): one parser, one verifier for all three callbacks.
// Field names as Baidu's SDKs spell them: refundBatchId and refundPayMoney in
// baidu/smartapp-openapi-go openapi/applyOrderRefund.go, applyRefundMoney in the same file.

// Up to 15 digits stays within Number.MAX_SAFE_INTEGER.
const DIGITS = /^\d{1,15}$/;

const presentString = () => string().typeError(MESSAGES.string).defined(MESSAGES.required);

const refundCallbackFields = () => ({
  tpOrderId: orderIdSchema(),
  orderId: orderIdSchema(),
  refundBatchId: orderIdSchema(),
  userId: presentString(),
});

/**
 * Built on the first callback (issue 21: no schema is built at load). Marked pure, as once() is, so a
 * bundle without the cashier's refund callbacks drops them (lib/events' index reaches this module).
 */
const refundAuditSchema = /* @__PURE__ */ once(() =>
  object({
    ...refundCallbackFields(),
    // Older callers send no applyRefundMoney at all; an empty one is as good as absent.
    applyRefundMoney: string()
      .typeError(MESSAGES.string)
      .optional()
      .matches(DIGITS, { message: MESSAGES.fen, excludeEmptyString: true }),
  }),
);

export const CASHIER_REFUND_STATUS = { succeeded: '1', failed: '2' } as const;

const refundResultSchema = /* @__PURE__ */ once(() =>
  object({
    ...refundCallbackFields(),
    refundStatus: presentString()
      .required(MESSAGES.required)
      .oneOf(Object.values(CASHIER_REFUND_STATUS), 'must be 1 (succeeded) or 2 (failed)'),
  }),
);

function validate<S extends ReturnType<typeof refundAuditSchema> | ReturnType<typeof refundResultSchema>>(
  schema: S,
  fields: Readonly<Record<string, unknown>>,
  what: string,
): InferType<S> {
  try {
    return schema.validateSync(fields, { strict: true, abortEarly: false }) as InferType<S>;
  } catch (err) {
    if (err instanceof ValidationError) throw new InvalidInputError(issuesFromYup(err), `invalid ${what}`);
    throw err;
  }
}

/** What Baidu asks in a refund audit, with the merchant's order id it is about. */
export interface RefundAuditQuestion {
  /** our orderId (tpOrderId) */
  orderId: string;
  asked: CashierRefund;
}

/**
 * Validates a decoded (and already verified) refund audit. Fields beyond the ones read here are
 * ignored: Baidu adds fields, and the signature already covers them.
 */
export function parseRefundAudit(fields: Readonly<Record<string, unknown>>): RefundAuditQuestion {
  // A signed refund result replayed to the audit route would otherwise read as a question with no amount.
  if (Object.hasOwn(fields, 'refundStatus')) {
    const message = 'belongs to the refund result (POST /baidu/refund-notify), not to a refund audit';
    throw new InvalidInputError([{ path: 'refundStatus', message }], 'invalid cashier refund audit');
  }
  const valid = validate(refundAuditSchema(), fields, 'cashier refund audit');
  const asked: CashierRefund = {
    orderId: valid.orderId,
    userId: valid.userId,
    refundBatchId: valid.refundBatchId,
  };
  if (valid.applyRefundMoney !== undefined && valid.applyRefundMoney !== '')
    asked.applyRefundMoney = Number(valid.applyRefundMoney);
  return { orderId: valid.tpOrderId, asked };
}

/**
 * The eventId of a refund audit's recorded answer. A decided answer has one per refundBatchId for ever;
 * the first undecided answer is kept under its own, so asking again records nothing new.
 */
export function refundAuditEventId(refundBatchId: string, decided: boolean): string {
  return decided
    ? `cashier:refund-audit:${refundBatchId}`
    : `cashier:refund-audit:${refundBatchId}:undecided`;
}

/** The fact that records an audit answer on the order. */
export function refundAuditFact(
  question: RefundAuditQuestion,
  answer: RefundAuditAnswer,
  occurredAt: number,
): Fact {
  return {
    eventId: refundAuditEventId(question.asked.refundBatchId, answer.auditStatus !== 3),
    kind: 'refund-audit',
    source: 'cashier',
    orderId: question.orderId,
    occurredAt,
    cashierRefund: question.asked,
    audit: answer,
  };
}

export interface ParseRefundResultOptions {
  /** Unix seconds: the callback carries no time of its own, so it happened when it arrived */
  now?: UnixClock;
}

/**
 * Validates a decoded (and already verified) refund result and turns it into its fact. The eventId depends
 * on the callback alone (refundBatchId and refundStatus), so Baidu's retries of one result are duplicates.
 */
export function parseRefundResult(
  fields: Readonly<Record<string, unknown>>,
  opts: ParseRefundResultOptions = {},
): Fact {
  const valid = validate(refundResultSchema(), fields, 'cashier refund result');
  const refundStatus = valid.refundStatus === CASHIER_REFUND_STATUS.succeeded ? 1 : 2;
  return {
    eventId: `cashier:refund-result:${valid.refundBatchId}:${refundStatus}`,
    kind: 'refund-result',
    source: 'cashier',
    orderId: valid.tpOrderId,
    occurredAt: (opts.now ?? unixNow)(),
    cashierRefund: {
      orderId: valid.orderId,
      userId: valid.userId,
      refundBatchId: valid.refundBatchId,
      refundStatus,
    },
  };
}
