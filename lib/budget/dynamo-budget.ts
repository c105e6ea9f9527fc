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
  /**
   * how long a call can take from its slot to Baidu (the event loop, the connection, the network), and
   * so how near a second's end a call may land in the next; default 250 ms (a TLS handshake on a new
   * connection to Baidu, or a loaded event loop, takes a good part of that). A call taken this close to
   * the end of a second is counted in both seconds.
   */
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

/** What one instance knows of one second's counter. */
interface SecondState {
  /** slots claimed and not yet spent */
  left: number;
  /** slots spent (the next second's first claim asks for as many) */
  used: number;
  /** a claim found the counter full: no claim in this second again */
  full: boolean;
  /** one claim at a time per second; the others wait for it and the next claim asks for them too */
  claiming?: Promise<'ok' | 'full' | 'error'>;
  waiting: number;
}

/**
 * The budget as an atomic per-second counter item in the ledger table: an instance claims a few slots at
 * once (ADD, on condition that the second stays within maxQps) and spends them locally. A claim grows with
 * what the instance used the second before, so a webhook that makes one call claims one, and a busy worker
 * claims up to maxChunk: few writes, little waste. A quota error fills the next seconds' counters, so every
 * instance holds off. If the counter cannot be written, no call is made (the order stays due).
 *
 * Where a call lands: a call taken at t reaches Baidu at some time in [t, t + edgeMs), as long as nothing
 * holds it longer than edgeMs on its way. Taken earlier than edgeMs before its second's end, it lands in
 * that second; taken later, in that second or the next, so it takes a slot of both. Every second X's
 * counter thus counts every call that can land in X (those taken in [X - edgeMs, X + 1 s)), and no second
 * receives more than maxQps however the delays fall within that bound. Few calls pay for it: under load
 * the slots of a second are gone early in it. A call held longer (a stop-the-world pause, a starved CPU)
 * can still land a second late: the drain bench's stand-in saw 201 to 204 with a 100 ms edge on a loaded
 * 2-core machine, none with 250 ms.
 */
export function createDynamoBudget(options: DynamoBudgetOptions): CallBudget {
  const doc = DynamoDBDocumentClient.from(options.client);
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxChunk = Math.max(1, options.maxChunk ?? Math.floor(options.maxQps / 5));
  const pauseMs = options.pauseMs ?? 30_000;
  const edgeMs = options.edgeMs ?? 250;

  /** the seconds this instance is using: the one before (for claim sizes), this one and the next */
  const seconds = new Map<number, SecondState>();
  let pausedUntil = 0;

  function stateOf(sec: number): SecondState {
    let state = seconds.get(sec);
    if (!state) {
      state = { left: 0, used: 0, full: false, waiting: 0 };
      seconds.set(sec, state);
      for (const old of seconds.keys()) if (old < sec - 1) seconds.delete(old);
    }
    return state;
  }

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

  /** Claims slots of `sec`: as many as the instance used the second before or is waiting for, capped. */
  async function claimFor(sec: number, state: SecondState): Promise<'ok' | 'full' | 'error'> {
    const usedBefore = seconds.get(sec - 1)?.used ?? 0;
    const want = Math.min(maxChunk, Math.max(1, usedBefore, state.waiting + 1));
    try {
      let got = (await claim(sec, want)) ? want : 0;
      if (got === 0 && want > 1 && (await claim(sec, 1))) got = 1; // what is left of the second
      if (got === 0) {
        state.full = true;
        return 'full';
      }
      state.left += got;
      return 'ok';
    } catch {
      return 'error';
    }
  }

  /** One claim in flight per second: a caller that finds one waits for it instead of claiming too. */
  async function claimOnce(sec: number, state: SecondState): Promise<'ok' | 'full' | 'error'> {
    if (state.claiming) {
      state.waiting += 1;
      try {
        return await state.claiming;
      } finally {
        state.waiting -= 1;
      }
    }
    state.claiming = claimFor(sec, state).finally(() => (state.claiming = undefined));
    return state.claiming;
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
        const charged = (t < nextSecond - edgeMs ? [sec] : [sec, sec + 1]).map((s) => ({
          sec: s,
          state: stateOf(s),
        }));
        if (charged.every(({ state }) => !state.full)) {
          const short = charged.find(({ state }) => state.left === 0);
          if (!short) {
            for (const { state } of charged) {
              state.left -= 1;
              state.used += 1;
            }
            return true;
          }
          // The counter cannot be written: no call, the order stays due.
          if ((await claimOnce(short.sec, short.state)) === 'error') return false;
          continue;
        }
        // A second this call would count in is spent: try again when the next one begins.
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
