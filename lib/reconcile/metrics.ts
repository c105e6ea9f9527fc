import { metrics, MetricUnit } from '../metrics';
import { PAYMENTS_FOUND_BY_QUERY } from './payment-check';
import type { ReconcileSummary } from './summary';

/** The service's metrics (lib/metrics): serverless.yml's alarms watch OrdersDead, OrdersFailed and OldestDueOrderAgeSeconds. */
export { metrics };

export function recordRunMetrics(summary: ReconcileSummary): void {
  metrics.addMetric('OrdersDue', MetricUnit.Count, summary.due);
  metrics.addMetric('OrdersPushed', MetricUnit.Count, summary.pushed);
  metrics.addMetric('OrdersConfirmed', MetricUnit.Count, summary.confirmed);
  metrics.addMetric('OrdersFailed', MetricUnit.Count, summary.failed);
  metrics.addMetric('OrdersDead', MetricUnit.Count, summary.dead);
  metrics.addMetric('OrdersPending', MetricUnit.Count, summary.pending);
  metrics.addMetric('OrdersQuotaLimited', MetricUnit.Count, summary.quota);
  if (summary.paymentChecks) {
    // A rising PaymentsFoundByQuery means Baidu's payment notifies are being lost (README: troubleshooting).
    metrics.addMetric(PAYMENTS_FOUND_BY_QUERY, MetricUnit.Count, summary.paymentChecks.paid);
    metrics.addMetric('PaymentCheckQueries', MetricUnit.Count, summary.paymentChecks.queries);
  }
}

/** How long the oldest due order has been waiting (0: none is due), as soon as a run knows it. */
export function recordOldestDue(ageMs: number): void {
  metrics.addMetric('OldestDueOrderAgeSeconds', MetricUnit.Seconds, Math.max(0, Math.round(ageMs / 1000)));
}
