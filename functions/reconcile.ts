import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../lib/logger';
import { publishMetrics } from '../lib/metrics';
import {
  decideRefundAuditByOperator,
  dryRun,
  parseReconcileCommand,
  recordOldestDue,
  recordRunMetrics,
  report,
  revive,
  runReconcile,
} from '../lib/reconcile';
import { getService } from '../lib/service';

/** Positive integer from the environment, or the default. */
function setting(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * The schedule's safety net and the operator's tool (`serverless invoke -f reconcile --data '...'`):
 * `{}` or a schedule pushes what is due; `{"orderIds":[...]}` (with `"force":true`: whole) pushes those;
 * `{"dryRun":true}` shows the plan; `{"revive":true}` revives dead orders; `{"report":true}` lists problems;
 * `{"refundAudit":{"orderId","refundBatchId","decision"}}` answers an audit Baidu's cashier asked.
 */
async function reconcile(event: unknown, context: Context) {
  const command = parseReconcileCommand(event);
  const { sync, ledger, config } = getService();
  const now = Date.now();
  switch (command.kind) {
    case 'dryRun': {
      const plan = await dryRun(ledger, config.appKey, { ...command, now });
      logger.info('reconcile dry run', { orders: plan.length });
      return { dryRun: true, orders: plan };
    }
    case 'revive': {
      const revived = await revive(ledger, command.orderIds);
      logger.info('reconcile revived dead orders', { revived: revived.length });
      return { revived };
    }
    case 'refundAudit': {
      const decided = await decideRefundAuditByOperator(
        { ledger, bizAppId: config.appKey, policy: config.refundAuditPolicy },
        command,
      );
      logger.info('reconcile refund audit decided', { ...decided });
      return { refundAudit: decided };
    }
    case 'report': {
      const found = await report(ledger, config.appKey);
      logger.info('reconcile report', { problems: found.problems.length, waiting: found.waiting.length });
      return found;
    }
    default: {
      const summary = await runReconcile(sync, {
        deadline: now + context.getRemainingTimeInMillis(),
        orderIds: command.kind === 'push' ? command.orderIds : undefined,
        force: command.kind === 'push' && command.force,
        concurrency: setting('RECONCILE_CONCURRENCY', 8),
        batchSize: setting('RECONCILE_BATCH_SIZE', 20),
        onOldestDue: recordOldestDue,
      });
      recordRunMetrics(summary);
      logger.info('reconcile run', { ...summary });
      return summary;
    }
  }
}

/** Metrics are published when the run ends, also when it fails (what it stored until then). */
export const handler = middy(reconcile).use(injectLambdaContext(logger)).use(publishMetrics());
