import type { PushOutcome } from './push';

/**
 * Inline pushes of one instance (webhooks): after `threshold` transient failures in a row, the instance
 * stops pushing inline for `openMs` (it records and answers `pending`; reconcile's workers push, within the
 * shared budget) instead of hammering a Baidu that is failing. One push is let through after that; a
 * success closes it again.
 */
export interface InlineBreaker {
  /** whether an inline push may go now */
  allows(now: number): boolean;
  /** how an inline push ended */
  record(outcome: Pick<PushOutcome, 'state' | 'error'>, now: number): void;
}

export interface InlineBreakerOptions {
  /** transient failures in a row that open it; default 3 */
  threshold?: number;
  /** how long it stays open, ms; default 30 000 */
  openMs?: number;
}

/** Kinds of failure that say Baidu (or the way to it) is in trouble, not this order. */
const TRANSIENT = new Set(['transient', 'token', 'quota', 'unknown', 'TransientOrderCenterError']);

export function createInlineBreaker(options: InlineBreakerOptions = {}): InlineBreaker {
  const threshold = options.threshold ?? 3;
  const openMs = options.openMs ?? 30_000;
  let failures = 0;
  let openUntil = 0;
  return {
    allows: (now) => now >= openUntil,
    record(outcome, now) {
      if (outcome.state === 'synced') {
        failures = 0;
        return;
      }
      const kind = outcome.error?.kind;
      if (kind === undefined || !TRANSIENT.has(kind)) return; // nothing said about Baidu
      failures += 1;
      if (failures >= threshold) {
        openUntil = now + openMs;
        failures = threshold - 1; // half open after the pause: one more failure opens it again
      }
    },
  };
}
