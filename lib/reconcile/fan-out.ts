/** Starts one reconcile worker for a shard, asynchronously: it returns once the start is accepted. */
export interface WorkerStarter {
  start(shard: number): Promise<void>;
}

/** What the coordinator started: the shards whose worker was accepted, and those whose start failed. */
export interface FanOutResult {
  shards: number;
  started: number[];
  failed: { shard: number; error: string }[];
}

/**
 * The scheduled reconcile: one worker per shard, all started at once; it does not wait for them. A start
 * that fails is reported (and logged by the caller); that shard's orders stay due for the next run.
 */
export async function fanOut(starter: WorkerStarter, shards: number): Promise<FanOutResult> {
  const all = Array.from({ length: shards }, (_, shard) => shard);
  const results = await Promise.allSettled(all.map((shard) => starter.start(shard)));
  const out: FanOutResult = { shards, started: [], failed: [] };
  results.forEach((result, shard) => {
    if (result.status === 'fulfilled') out.started.push(shard);
    else {
      const reason: unknown = result.reason;
      out.failed.push({
        shard,
        error: reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason),
      });
    }
  });
  return out;
}
