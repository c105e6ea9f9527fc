export { answerRefundAudit, type AnswerRefundAuditOptions, type AuditOutcome } from './answer';
export { decideRefundAudit, operatorAnswer, type OperatorDecision } from './decide';
export { decidedAnswers, refundPosition, type OpenRefund, type RefundPosition } from './position';
