import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ReconcileSummary } from './summary';

/** EMF metrics of reconcile runs; the dead-orders alarm in serverless.yml watches OrdersDead. */
export const metrics = new Metrics({ namespace: 'SwanOrderSync', serviceName: 'swan-order-sync' });

export function recordRunMetrics(summary: ReconcileSummary): void {
  metrics.addMetric('OrdersDue', MetricUnit.Count, summary.due);
  metrics.addMetric('OrdersPushed', MetricUnit.Count, summary.pushed);
  metrics.addMetric('OrdersConfirmed', MetricUnit.Count, summary.confirmed);
  metrics.addMetric('OrdersFailed', MetricUnit.Count, summary.failed);
  metrics.addMetric('OrdersDead', MetricUnit.Count, summary.dead);
  metrics.addMetric('OrdersPending', MetricUnit.Count, summary.pending);
  metrics.addMetric('OrdersQuotaLimited', MetricUnit.Count, summary.quota);
}
