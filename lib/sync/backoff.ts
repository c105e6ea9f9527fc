export interface BackoffPolicy {
  /** delay after the first failure, ms */
  baseMs: number;
  /** the longest delay, ms */
  maxMs: number;
  /** failed pushes in a row after which the order is dead */
  maxAttempts: number;
  /** after Baidu's call quota is spent: the order waits this long plus up to as long again; default 5 min */
  quotaMs?: number;
  /** pushes in a row ending in a code Baidu does not document before the order fails; default 3 */
  unknownCodeAttempts?: number;
  /** the least delay between those pushes, so that they spread over minutes; default 1 min */
  unknownCodeMinMs?: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 3_600_000, maxAttempts: 12 };

/** Baidu's quota is per day or per second (CONTRACT section 8): minutes, not milliseconds. */
export const DEFAULT_QUOTA_MS = 5 * 60_000;
export const DEFAULT_UNKNOWN_CODE_ATTEMPTS = 3;
export const DEFAULT_UNKNOWN_CODE_MIN_MS = 60_000;

/**
 * Delay before the next push after `attempts` failures in a row: exponential, capped, with jitter over
 * its upper half so that orders that failed together do not all come back together, yet never at once.
 */
export function backoffDelay(attempts: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
