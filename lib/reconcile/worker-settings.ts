/**
 * The function the coordinator starts once per shard: RECONCILE_WORKER_FUNCTION (serverless.yml), else
 * the coordinator's own name with `Worker` appended (`<service>-<stage>-reconcile` ->
 * `<service>-<stage>-reconcileWorker`, serverless.yml's naming), for runs without serverless.yml's
 * environment.
 */
export function workerFunctionName(coordinator: string, env: NodeJS.ProcessEnv = process.env): string {
  const named = env.RECONCILE_WORKER_FUNCTION?.trim();
  return named ? named : `${coordinator}Worker`;
}
