import { refundAuditFact, type RefundAuditQuestion } from '../events/cashier-refund';
import { unixNow, type UnixClock } from '../events/clock';
import type { RefundAuditAnswer } from '../events/types';
import { intakeFact, type IntakeReply } from '../intake';
import type { OrderService } from '../service';
import { decideRefundAudit } from './decide';
import { decidedAnswers, refundPosition } from './position';

export interface AnswerRefundAuditOptions {
  /** epoch ms by which a push of the order must be over */
  pushDeadline: number;
  now?: UnixClock;
}

export interface AuditOutcome {
  answer: RefundAuditAnswer;
  /** what recording the answer did; absent when nothing new was recorded (asked again) */
  recorded?: IntakeReply;
}

/**
 * Answers Baidu's refund audit (docs/contract.md section 5b). A batch once approved or rejected gets that answer for
 * ever, whatever has happened since; otherwise the policy decides afresh from the ledger. A decision is
 * recorded before it is given (and a decision recorded meanwhile by another caller wins); the first
 * undecided answer is recorded too, so the report shows what Baidu asked and why it waits.
 */
export async function answerRefundAudit(
  service: OrderService,
  question: RefundAuditQuestion,
  options: AnswerRefundAuditOptions,
): Promise<AuditOutcome> {
  const { ledger, config } = service;
  const { orderId, asked } = question;
  const item = await ledger.get(orderId);
  const given = item && decidedAnswers(item.facts).get(asked.refundBatchId);
  if (given) return { answer: given.audit };

  const position = refundPosition(orderId, item?.facts, config.appKey);
  const answer = decideRefundAudit(config.refundAuditPolicy, position, asked);
  const fact = refundAuditFact(question, answer, (options.now ?? unixNow)());
  if (answer.auditStatus === 3 && item?.facts.some((known) => known.eventId === fact.eventId)) {
    return { answer };
  }
  const recorded = await intakeFact(service, fact, { pushDeadline: options.pushDeadline });
  if (!recorded.duplicate || answer.auditStatus === 3) return { answer, recorded };
  // Another answer to this batch was recorded between our read and our write: that one was given.
  const now = await ledger.get(orderId);
  const winner = now && decidedAnswers(now.facts).get(asked.refundBatchId);
  return { answer: winner?.audit ?? answer, recorded };
}
