import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../lib/logger';
import { publishMetrics } from '../lib/metrics';
import { drainShard, parseReconcileCommand } from '../lib/reconcile';
import { reconcileService, type ReconcileService, type ServiceSource } from '../lib/service';
import { InvalidInputError } from '../lib/validation';

/**
 * One shard's reconcile worker (docs/contract.md section 9): reconcile's coordinator starts one per shard,
 * asynchronously, with `{"shard": n}`; it pushes that shard's due orders, then asks the cashier about the
 * shard's payments due for a check (section 5c), within its own time, and returns
 * (and logs) its summary. A function of its own, so that the coordinator's one-at-a-time limit never
 * throttles the workers.
 */
async function reconcileWorker(service: ReconcileService, event: unknown, context: Context) {
  const command = parseReconcileCommand(event);
  if (command.kind !== 'worker') {
    const message = 'must be the shard to drain, e.g. {"shard":3} (operator commands go to reconcile)';
    throw new InvalidInputError([{ path: 'shard', message }], 'invalid reconcile worker event');
  }
  const summary = await drainShard(service, command.shard, Date.now() + context.getRemainingTimeInMillis());
  logger.info('reconcile worker run', { shard: command.shard, ...summary });
  return { shard: command.shard, ...summary };
}

/**
 * The worker wired to the service it uses (the push alone): the container's below, or a test's own.
 * Metrics are published when the run ends, also when it fails (what it stored until then).
 */
export function reconcileWorkerHandler(service: ServiceSource<ReconcileService>) {
  return middy((event: unknown, context: Context) => reconcileWorker(service(), event, context))
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export const handler = reconcileWorkerHandler(reconcileService());
