import { refundAuditEventId } from '../events/cashier-refund';
import type { Fact, RefundAuditAnswer } from '../events/types';
import { project } from '../projection';
import { refundLinks } from '../projection/refund-links';

/** An after-sale order still open (requested or processing): what a refund audit can be for. */
export interface OpenRefund {
  id: string;
  /** fen */
  amount: number;
  /** the refund batch already linked to it, if any */
  refundBatchId?: string;
}

/** What a refund audit is decided from: the order as its facts stand (CONTRACT section 5b). */
export type RefundPosition =
  | { known: false }
  /** `why`: the snapshot has not come, or the facts cannot be projected (a person has to look) */
  | { known: true; ready: false; why: string }
  | {
      known: true;
      ready: true;
      /** fen; 0 while unpaid */
      paid: number;
      /** fen already refunded, or approved and not (yet) failed: what no further refund may take again */
      committed: number;
      open: OpenRefund[];
    };

const OPEN_SUB_STATUSES: ReadonlySet<number> = new Set([400, 401]);
const REFUNDED = 402;

/**
 * The refund position of an order from its recorded facts (undefined: the ledger does not know it).
 * Committed money counts each after-sale order refunded (402) once, plus every approved batch that has not
 * failed and whose linked after-sale order is not already counted, so two batches never share the rest.
 */
export function refundPosition(
  orderId: string,
  facts: readonly Fact[] | undefined,
  bizAppId: string,
): RefundPosition {
  if (facts === undefined) return { known: false };
  let projection: ReturnType<typeof project>;
  try {
    projection = project(orderId, facts, { bizAppId });
  } catch {
    return {
      known: true,
      ready: false,
      why: "the order's facts cannot be projected (see reconcile's report)",
    };
  }
  if (!projection.ready) {
    return {
      known: true,
      ready: false,
      why: "the order's snapshot has not come yet, so what it costs is not known",
    };
  }
  const { data } = projection.view;
  const payment = data.EXT.MainOrder.Payment;
  const paid = payment.IsPayment ? payment.Amount : 0;
  const links = refundLinks(facts);
  const batchOf = new Map([...links].map(([batch, refundId]) => [refundId, batch]));
  const subs = data.EXT.SubsOrder?.Items ?? [];
  const refundedIds = new Set(subs.filter((sub) => sub.SubStatus === REFUNDED).map((sub) => sub.SubOrderID));
  let committed = subs
    .filter((sub) => sub.SubStatus === REFUNDED)
    .reduce((sum, sub) => sum + (sub.Refund?.Amount ?? 0), 0);
  const failed = new Set(
    facts
      .filter((fact) => fact.kind === 'refund-result' && fact.cashierRefund?.refundStatus === 2)
      .map((fact) => fact.cashierRefund?.refundBatchId),
  );
  for (const answer of decidedAnswers(facts).values()) {
    const { audit, refundBatchId } = answer;
    if (audit.auditStatus !== 1 || failed.has(refundBatchId)) continue;
    const linked = links.get(refundBatchId);
    if (linked !== undefined && refundedIds.has(linked)) continue;
    committed += audit.refundPayMoney;
  }
  const open = subs
    .filter((sub) => OPEN_SUB_STATUSES.has(sub.SubStatus))
    .map((sub): OpenRefund => {
      const refundBatchId = batchOf.get(sub.SubOrderID);
      return {
        id: sub.SubOrderID,
        amount: sub.Refund?.Amount ?? 0,
        ...(refundBatchId === undefined ? {} : { refundBatchId }),
      };
    });
  return { known: true, ready: true, paid, committed, open };
}

/** The decided (approved or rejected) audit answers among the facts, by refundBatchId. */
export function decidedAnswers(
  facts: readonly Fact[],
): Map<string, { refundBatchId: string; audit: RefundAuditAnswer; eventId: string }> {
  const out = new Map<string, { refundBatchId: string; audit: RefundAuditAnswer; eventId: string }>();
  for (const fact of facts) {
    const asked = fact.cashierRefund;
    if (fact.kind !== 'refund-audit' || !fact.audit || !asked) continue;
    if (fact.eventId !== refundAuditEventId(asked.refundBatchId, true)) continue;
    out.set(asked.refundBatchId, {
      refundBatchId: asked.refundBatchId,
      audit: fact.audit,
      eventId: fact.eventId,
    });
  }
  return out;
}
