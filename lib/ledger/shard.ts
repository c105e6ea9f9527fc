import type { QueueName } from './types';

/** SYNC_SHARDS at most: a worker also drains the keys a larger setting left behind, up to this many. */
export const MAX_SYNC_SHARDS = 64;
export const DEFAULT_SYNC_SHARDS = 16;

/** One key of the sync queue: the index that holds it and the value of its hash key. */
export interface QueueKey {
  index: 'sharded' | 'legacy';
  value: string;
  shard: number;
}

/**
 * The order's shard: FNV-1a (32 bits) over the id's UTF-16 code units, mod `shards`. Stable across
 * deploys and runtimes, with no import: every function computes it on every write.
 */
export function shardOf(orderId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < orderId.length; i++) {
    hash ^= orderId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** The index hash key of an order in a queue: `<state>#<shard>`. */
export function queueKeyOf(queue: QueueName, orderId: string, shards: number): string {
  return `${queue}#${shardOf(orderId, shards)}`;
}

/**
 * The keys worker `shard` drains: its own; those a larger SYNC_SHARDS left (shard + k × shards, up to
 * MAX_SYNC_SHARDS), so lowering the setting strands nothing; and, for shard 0, the one unsharded key of
 * the first release (items written before the upgrade, until their next write moves them).
 */
export function shardKeys(queue: QueueName, shard: number, shards: number): QueueKey[] {
  const keys: QueueKey[] = [];
  for (let s = shard; s < MAX_SYNC_SHARDS; s += shards)
    keys.push({ index: 'sharded', value: `${queue}#${s}`, shard });
  if (shard === 0) keys.push({ index: 'legacy', value: queue, shard });
  return keys;
}

/** Every key of a queue, shard by shard: what operator commands page through. */
export function allKeys(queue: QueueName, shards: number): QueueKey[] {
  return Array.from({ length: shards }, (_, shard) => shardKeys(queue, shard, shards)).flat();
}
