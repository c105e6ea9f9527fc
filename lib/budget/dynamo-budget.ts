import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { BUDGET_KEY_PREFIX } from '../ledger/reserved';
import type { CallBudget } from '.';

export interface DynamoBudgetOptions {
  client: DynamoDBClient;
  /** the ledger table: the counters are items of their own in it */
  tableName: string;
  /** calls per second, all instances together */
  maxQps: number;
  /**
   * the most one claim takes; default maxQps / 5, at least 1. An instance claims one at a time, so this
   * bounds what one busy instance can spend in a second to maxChunk per round trip to the table: at
   * maxQps / 20, 100 concurrent pushes of one webhook instance needed 20 claims in a row, and on a loaded
   * machine their deadlines passed before the last slots came.
   */
  maxChunk?: number;
  /** how long a quota error holds everyone off; default 30 s */
  pauseMs?: number;
  /** a slot is not used this close to the end of its second (it would land in the next); default 25 ms */
  edgeMs?: number;
  /** epoch ms */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The counter of one second. Order ids never hold whitespace (lib/events), so no order is ever this item;
 * it carries no queue key, and every listing or scan of orders leaves it out (lib/ledger/reserved).
 */
export const budgetKey = (epochSecond: number): string => `${BUDGET_KEY_PREFIX}${epochSecond}`;

/** Counter items outlive their second by this much, then DynamoDB's TTL deletes them (expiresAt). */
const KEEP_S = 3_600;

const isConditionFailure = (err: unknown): boolean =>
  err instanceof Error && err.name === 'ConditionalCheckFailedException';

/**
 * The budget as an atomic per-second counter item in the ledger table: an instance claims a few slots at
 * once (ADD, on condition that the second stays within maxQps) and spends them locally. A claim grows with
 * what the instance used the second before, so a webhook that makes one call claims one, and a busy worker
 * claims up to maxChunk: few writes, little waste. A quota error fills the next seconds' counters, so every
 * instance holds off. If the counter cannot be written, no call is made (the order stays due).
 */
export function createDynamoBudget(options: DynamoBudgetOptions): CallBudget {
  const doc = DynamoDBDocumentClient.from(options.client);
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxChunk = Math.max(1, options.maxChunk ?? Math.floor(options.maxQps / 5));
  const pauseMs = options.pauseMs ?? 30_000;
  const edgeMs = options.edgeMs ?? 25;

  let second = -1;
  let left = 0;
  let used = 0;
  let usedBefore = 0;
  /** callers waiting for the claim in flight: the next claim asks for them too */
  let waiting = 0;
  /** a second found full: no claim in it again */
  let fullSecond = -1;
  let pausedUntil = 0;
  /** one claim at a time per instance; the others wait for it */
  let claiming: Promise<'ok' | 'full' | 'error'> | undefined;

  async function claim(sec: number, n: number): Promise<boolean> {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: options.tableName,
          Key: { orderId: budgetKey(sec) },
          UpdateExpression: 'ADD calls :n SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(calls) OR calls <= :room',
          ExpressionAttributeValues: { ':n': n, ':room': options.maxQps - n, ':expires': sec + KEEP_S },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** Moves the local count to `sec`. */
  function enter(sec: number): void {
    if (sec === second) return;
    usedBefore = sec === second + 1 ? used : 0;
    second = sec;
    left = 0;
    used = 0;
  }

  /** Claims slots of `sec`: as many as the instance used the second before or is waiting for, capped. */
  async function claimFor(sec: number): Promise<'ok' | 'full' | 'error'> {
    const want = Math.min(maxChunk, Math.max(1, usedBefore, waiting + 1));
    try {
      let got = (await claim(sec, want)) ? want : 0;
      if (got === 0 && want > 1 && (await claim(sec, 1))) got = 1; // what is left of the second
      if (got === 0) {
        fullSecond = sec;
        return 'full';
      }
      if (second === sec) left += got;
      return 'ok';
    } catch {
      return 'error';
    }
  }

  return {
    async take(deadline) {
      for (;;) {
        const t = now();
        if (t >= deadline) return false;
        if (pausedUntil > t) {
          if (pausedUntil >= deadline) return false;
          await sleep(pausedUntil - t);
          continue;
        }
        const sec = Math.floor(t / 1000);
        const nextSecond = (sec + 1) * 1000;
        enter(sec);
        if (t < nextSecond - edgeMs && fullSecond !== sec) {
          if (left > 0) {
            left -= 1;
            used += 1;
            return true;
          }
          if (claiming) {
            waiting += 1;
            const result = await claiming.finally(() => (waiting -= 1));
            if (result === 'error') return false;
            continue;
          }
          claiming = claimFor(sec).finally(() => (claiming = undefined));
          // The counter cannot be written: no call, the order stays due.
          if ((await claiming) === 'error') return false;
          continue;
        }
        // This second is spent: the next one, if it comes before the deadline.
        if (nextSecond >= deadline) return false;
        await sleep(nextSecond - t);
      }
    },

    async pause() {
      const t = now();
      if (pausedUntil > t) return;
      pausedUntil = t + pauseMs;
      const first = Math.floor(t / 1000);
      const seconds = Array.from({ length: Math.ceil(pauseMs / 1000) + 1 }, (_, i) => first + i);
      // Every instance finds these seconds full. Best effort: this instance holds off whatever happens.
      await Promise.allSettled(
        seconds.map((sec) =>
          doc.send(
            new UpdateCommand({
              TableName: options.tableName,
              Key: { orderId: budgetKey(sec) },
              UpdateExpression: 'SET calls = :full, expiresAt = :expires',
              ExpressionAttributeValues: { ':full': options.maxQps, ':expires': sec + KEEP_S },
            }),
          ),
        ),
      );
    },
  };
}
