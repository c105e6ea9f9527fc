import type { Fact } from '../events/types';

/**
 * Which merchant refund (after-sale order) each Baidu refund batch is for: refundBatchId -> refund id.
 * Two facts can say so: a merchant refund event that names `baiduRefundBatchId`, and an approved refund
 * audit that was matched to an open refund (CONTRACT section 5b). The merchant's own word wins; between
 * facts of one kind, the first in fold order does, so the link depends only on the set of facts.
 */
export function refundLinks(ordered: readonly Fact[]): Map<string, string> {
  const byMerchant = new Map<string, string>();
  const byAudit = new Map<string, string>();
  for (const fact of ordered) {
    const batch = fact.refund?.baiduRefundBatchId;
    if (fact.source === 'merchant' && fact.refund && batch !== undefined && !byMerchant.has(batch)) {
      byMerchant.set(batch, fact.refund.id);
    }
    const audit = fact.audit;
    const asked = fact.cashierRefund;
    if (fact.kind === 'refund-audit' && audit?.auditStatus === 1 && audit.refundId && asked) {
      if (!byAudit.has(asked.refundBatchId)) byAudit.set(asked.refundBatchId, audit.refundId);
    }
  }
  for (const [batch, refundId] of byMerchant) byAudit.set(batch, refundId);
  return byAudit;
}
