import { computeOrderAmount } from '../events/amount';
import type { Fact, OrderSnapshot } from '../events/types';
import type { MainOrder, OrderData, Payment, Product } from '../order-center/types';
import { AfterSaleFold } from './after-sale';
import { toDetailPage } from './detail-page';
import { canonicalFacts, latestSnapshot } from './facts';
import { PaymentFold, paymentTerms } from './payment';
import { toProduct } from './products';
import { logisticsOf } from './logistics';
import { refundLinks } from './refund-links';
import { CATE_BY_CATEGORY, StatusFold } from './status';
import type { Anomaly, OrderView, Projection, ProjectionConfig } from './types';
import { decideCashierCancels, DEFAULT_CANCEL_AFTER_SECONDS, foreignDeal, isCashierCancel } from './cashier';

/** What each snapshot of the order computes (kept by the ledger for the ones it compacted); the latest one's is known already. */
function snapshotAmounts(ordered: readonly Fact[], latest: number): Set<number> {
  const amounts = new Set([latest]);
  for (const fact of ordered) {
    if (fact.order !== undefined) amounts.add(computeOrderAmount(fact.order));
    else if (fact.snapshotAmount !== undefined) amounts.add(fact.snapshotAmount);
  }
  return amounts;
}

/** The facts about the main order; refunds are the after-sale fold's, audits change nothing shown. */
const MAIN_ORDER_KINDS: ReadonlySet<Fact['kind']> = new Set([
  'placed',
  'paid',
  'shipped',
  'completed',
  'closed',
]);

/** Whether the fact brought a snapshot, kept whole or compacted by the ledger to its amount. */
const broughtSnapshot = (fact: Fact): boolean =>
  fact.order !== undefined || fact.snapshotAmount !== undefined;

function isCashierPayment(fact: Fact): boolean {
  return fact.kind === 'paid' && fact.source === 'cashier';
}

function toMainOrder(snapshot: OrderSnapshot, products: Product[], payment: Payment): MainOrder {
  const main: MainOrder = { Products: products, Payment: payment };
  if (snapshot.appraise !== undefined) main.Appraise = toDetailPage(snapshot.appraise);
  if (snapshot.detail !== undefined) main.OrderDetail = toDetailPage(snapshot.detail);
  return main;
}

/**
 * The order as the Order Center should show it, from its facts (docs/contract.md sections 3 and 4).
 * Facts are taken once per eventId and folded in (occurredAt, eventId) order, so the result depends only
 * on the set of facts. Facts that are not applied (a cashier notify with the wrong amount, an update of a
 * refund nobody requested) change nothing, Mtime included; they come back as anomalies. A fact that brings a
 * snapshot always counts as a change.
 */
export function project(orderId: string, facts: readonly Fact[], config: ProjectionConfig): Projection {
  // A callback of another merchant's deal is kept for a person to see, and is otherwise not there.
  const foreign: Anomaly[] = [];
  const ordered = canonicalFacts(orderId, facts).filter((fact) => {
    const anomaly = foreignDeal(fact, config.cashierDealId);
    if (anomaly) foreign.push(anomaly);
    return anomaly === undefined;
  });
  const afterSale = new AfterSaleFold(refundLinks(ordered));
  for (const fact of ordered) afterSale.record(fact);
  const snapshot = latestSnapshot(ordered);
  if (snapshot === undefined) {
    const { anomalies } = afterSale.result();
    return {
      ready: false,
      reason: 'no-snapshot',
      paidByCashier: ordered.some(isCashierPayment),
      anomalies: [...foreign, ...anomalies],
    };
  }

  const status = new StatusFold();
  const products = snapshot.items.map(toProduct);
  const terms = paymentTerms(snapshot);
  const payments = new PaymentFold(terms.Amount, snapshotAmounts(ordered, terms.Amount));
  // Facts come in occurredAt order, so the last one applied is the latest change.
  let mainChangedAt = 0;
  for (const fact of ordered) {
    if (broughtSnapshot(fact)) mainChangedAt = fact.occurredAt;
    if (!MAIN_ORDER_KINDS.has(fact.kind)) continue;
    if (isCashierCancel(fact)) continue; // decided below, once the whole order is known
    if (fact.kind === 'paid' && !payments.apply(fact)) continue;
    status.record(fact.kind);
    mainChangedAt = fact.occurredAt;
  }
  const cancels = status.isClosed()
    ? []
    : decideCashierCancels(ordered.filter(isCashierCancel), status.progressed(), {
        now: config.now,
        afterSeconds: config.cancelAfterSeconds ?? DEFAULT_CANCEL_AFTER_SECONDS,
      });
  let dueAt: number | undefined;
  const cancelAnomalies: Anomaly[] = [];
  for (const decision of cancels) {
    if (decision.kind === 'anomaly') cancelAnomalies.push(decision.anomaly);
    else if (decision.kind === 'wait') dueAt = decision.until;
    else {
      status.record('closed');
      mainChangedAt = Math.max(mainChangedAt, decision.at);
    }
  }
  const subs = afterSale.result();

  const data: OrderData = {
    ResourceID: orderId,
    BizAPPID: config.bizAppId,
    CateID: CATE_BY_CATEGORY[snapshot.category],
    Title: snapshot.title,
    Ctime: snapshot.createdAt,
    Mtime: Math.max(snapshot.createdAt, mainChangedAt, subs.lastChangedAt),
    Status: status.status(snapshot.category),
    EXT: { MainOrder: toMainOrder(snapshot, products, payments.payment(terms)) },
  };
  if (subs.subsOrder !== undefined) data.EXT.SubsOrder = subs.subsOrder;

  const view: OrderView = {
    data,
    openId: snapshot.openId,
    logistics: logisticsOf(ordered, snapshot.category),
    anomalies: [...foreign, ...payments.anomalies, ...cancelAnomalies, ...subs.anomalies],
  };
  if (payments.sceneId !== undefined) view.sceneId = payments.sceneId;
  if (dueAt !== undefined) view.dueAt = dueAt;
  return { ready: true, view };
}
