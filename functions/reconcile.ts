import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../lib/logger';
import { publishMetrics } from '../lib/metrics';
import {
  decideRefundAuditByOperator,
  drainShard,
  dryRun,
  fanOut,
  parseReconcileCommand,
  recordOldestDue,
  recordRunMetrics,
  report,
  revive,
  runReconcile,
} from '../lib/reconcile';
import { createLambdaStarter } from '../lib/reconcile/lambda-starter';
import { workerFunctionName } from '../lib/reconcile/worker-settings';
import { reconcileService, type ReconcileService, type ServiceSource } from '../lib/service';

/**
 * The schedule's coordinator and the operator's tool (`serverless invoke -f reconcile --data '...'`): `{}`
 * or a schedule starts one worker per shard (the reconcileWorker function, invoked asynchronously with
 * `{"shard": n}`); `{"shard": n}` here runs that shard's worker now and answers its summary;
 * `{"orderIds":[...]}` (with `"force":true`: whole) pushes those; `{"dryRun":true}`,
 * `{"revive":true}` and `{"report":true}` answer a page at a time (pass the `cursor` back for the next).
 * `{"refundAudit":{"orderId","refundBatchId","decision"}}` answers an audit Baidu's cashier asked.
 */
async function reconcile(service: ReconcileService, event: unknown, context: Context) {
  const command = parseReconcileCommand(event);
  const { sync, ledger, config } = service;
  const now = Date.now();
  switch (command.kind) {
    case 'run': {
      const started = await fanOut(
        createLambdaStarter({ functionName: workerFunctionName(context.functionName) }),
        config.syncShards,
      );
      logger.info('reconcile started its workers', { ...started });
      return started;
    }
    case 'dryRun': {
      const page = await dryRun(ledger, config.appKey, { ...command, now });
      logger.info('reconcile dry run', { orders: page.orders.length, more: page.cursor !== undefined });
      return { dryRun: true, ...page };
    }
    case 'revive': {
      const page = await revive(ledger, command);
      logger.info('reconcile revived dead orders', { revived: page.revived.length });
      return page;
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
      const found = await report(ledger, config.appKey, command);
      logger.info('reconcile report', { problems: found.problems.length, waiting: found.waiting.length });
      return found;
    }
    case 'worker': {
      const summary = await drainShard(service, command.shard, now + context.getRemainingTimeInMillis());
      logger.info('reconcile run', { shard: command.shard, ...summary });
      return { shard: command.shard, ...summary };
    }
    default: {
      const summary = await runReconcile(sync, {
        deadline: now + context.getRemainingTimeInMillis(),
        orderIds: command.orderIds,
        force: command.force,
        concurrency: config.reconcileConcurrency,
        batchSize: config.reconcileBatchSize,
        onOldestDue: recordOldestDue,
      });
      recordRunMetrics(summary);
      logger.info('reconcile run', { ...summary });
      return summary;
    }
  }
}

/**
 * reconcile wired to the service it uses (the push: no webhook secret, no cashier key): the container's
 * below, or a test's own. Metrics are published when the run ends, also when it fails (what it stored
 * until then).
 */
export function reconcileHandler(service: ServiceSource<ReconcileService>) {
  return middy((event: unknown, context: Context) => reconcile(service(), event, context))
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export const handler = reconcileHandler(reconcileService());
