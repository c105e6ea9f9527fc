export { parseReconcileCommand, type ReconcileCommand } from './command';
export {
  dryRun,
  report,
  revive,
  type PlannedPush,
  type ProblemOrder,
  type Report,
  type WaitingOrder,
  OPERATOR_PAGE_SIZE,
} from './operations';
export { runReconcile, type ReconcileOptions } from './run';
export { drainShard } from './drain-shard';
export { fanOut, type FanOutResult, type WorkerStarter } from './fan-out';
export { type ReconcileSummary } from './summary';
export { metrics, recordOldestDue, recordRunMetrics } from './metrics';
export {
  decideRefundAuditByOperator,
  parseRefundAuditCommand,
  refundAuditReport,
  type RefundAuditCommand,
  type RefundAuditDecided,
  type RefundAuditEntry,
} from './refund-audit';
export {
  emptyPaymentCheckSummary,
  paymentCheckCashier,
  PAYMENTS_FOUND_BY_QUERY,
  runPaymentChecks,
  type PaymentCheckDependencies,
  type PaymentCheckOptions,
  type PaymentCheckSummary,
} from './payment-check';
