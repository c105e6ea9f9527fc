export interface BackoffPolicy {
  /** delay after the first failure, ms */
  baseMs: number;
  /** the longest delay, ms */
  maxMs: number;
  /** failed pushes in a row after which the order is dead */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 3_600_000, maxAttempts: 12 };

/**
 * Delay before the next push after `attempts` failures in a row: exponential, capped, with jitter over
 * its upper half so that orders that failed together do not all come back together, yet never at once.
 */
export function backoffDelay(attempts: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
