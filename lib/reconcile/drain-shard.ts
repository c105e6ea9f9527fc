import type { ReconcileService } from '../service';
import { recordOldestDue, recordRunMetrics } from './metrics';
import { paymentCheckCashier, runPaymentChecks } from './payment-check';
import { runReconcile } from './run';
import type { ReconcileSummary } from './summary';

/**
 * One shard's worker run (docs/contract.md section 9), the same whether reconcileWorker runs it for the
 * coordinator or an operator asks reconcile for `{"shard": n}`: the shard's due orders are pushed, then,
 * with the time left, the cashier is asked about the shard's payments due for a check (section 5c; none
 * without CASHIER_APP_KEY, nor while the byPaymentCheck index is deferred). Its metrics are recorded.
 */
export async function drainShard(
  service: ReconcileService,
  shard: number,
  deadline: number,
): Promise<ReconcileSummary> {
  const { sync, config } = service;
  const summary = await runReconcile(sync, {
    deadline,
    shard,
    concurrency: config.reconcileConcurrency,
    batchSize: config.reconcileBatchSize,
    onOldestDue: recordOldestDue,
  });
  const cashier = paymentCheckCashier(service.cashier, config.paymentCheckIndex);
  if (cashier)
    summary.paymentChecks = await runPaymentChecks({ sync, cashier }, { shards: [shard], deadline });
  recordRunMetrics(summary);
  return summary;
}
