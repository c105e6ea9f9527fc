import { parseRefundAudit, parseRefundResult } from '../events';
import { logger } from '../logger';
import { answerRefundAudit } from '../refund-audit/answer';
import type { EventService, ServiceSource } from '../service';
import { verifiedCashierForm } from './cashier';
import { refundAuditReply, refundNotifyReply } from './replies';
import { CASHIER_PUSH_BUDGET_MS, pushDeadline, intakeWithinBudget } from './record';
import type { Route } from './route';

/**
 * `POST /baidu/refund-audit` (退款审核, docs/contract.md section 5b): Baidu's cashier asks whether to refund. The
 * signature first, then the question; the answer comes from the ledger and REFUND_AUDIT_POLICY, recorded
 * before it is given, within Baidu's 2 s.
 */
export function refundAuditRoute(service: ServiceSource<EventService>): Route {
  return {
    accepts: 'application/x-www-form-urlencoded',
    replies: 'cashier',
    async handle(request, context) {
      const wired = service();
      const question = parseRefundAudit(await verifiedCashierForm(request, wired));
      logger.appendKeys({ orderId: question.orderId, refundBatchId: question.asked.refundBatchId });
      const { answer, recorded } = await answerRefundAudit(wired, question, {
        pushDeadline: pushDeadline(Date.now(), CASHIER_PUSH_BUDGET_MS, context),
      });
      logger.appendKeys({ auditStatus: answer.auditStatus, recorded: recorded !== undefined });
      return refundAuditReply(answer);
    },
  };
}

/**
 * `POST /baidu/refund-notify` (退款结果, docs/contract.md section 5b): Baidu's cashier says how a refund ended.
 * Recorded like any fact (a retry is a duplicate) and pushed within the cashier's budget; the linked
 * after-sale order shows refunded (402), or the failure becomes an anomaly for a person.
 */
export function refundNotifyRoute(service: ServiceSource<EventService>): Route {
  return {
    accepts: 'application/x-www-form-urlencoded',
    replies: 'cashier',
    async handle(request, context) {
      const wired = service();
      const fact = parseRefundResult(await verifiedCashierForm(request, wired));
      await intakeWithinBudget(wired, fact, context, CASHIER_PUSH_BUDGET_MS);
      return refundNotifyReply();
    },
  };
}
