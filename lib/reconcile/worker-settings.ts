/**
 * What one reconcile run keeps in flight, from the environment (serverless.yml sets both):
 * RECONCILE_CONCURRENCY orders pushed at once (default 8), RECONCILE_BATCH_SIZE orders of one user per
 * update/main/status call (default 20). A value that is not a positive whole number falls back.
 */
export interface WorkerSettings {
  concurrency: number;
  batchSize: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export function workerSettings(env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  return {
    concurrency: positive(env, 'RECONCILE_CONCURRENCY', 8),
    batchSize: positive(env, 'RECONCILE_BATCH_SIZE', 20),
  };
}

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
