import { UNLIMITED, type CallBudget } from '../budget';
import type { AccessTokenProvider } from '../token/provider';
import {
  OrderCenterError,
  OrderNotFoundError,
  PermanentOrderCenterError,
  QuotaExceededError,
  RejectedBodyError,
  TokenRejectedError,
  TransientOrderCenterError,
  UnknownReplyError,
  type FailureDetail,
} from './errors';
import { classifyReply, type ReplyOutcome } from './reply';
import { validateCallBody } from './schemas';
import {
  CALL_PATHS,
  type CallBodies,
  type CallQuery,
  type OrderCenterCall,
  type OrderCenterReply,
} from './types';

export interface OrderCenterClientOptions {
  /** Order Center origin, e.g. https://openapi.baidu.com */
  baseUrl: string;
  tokens: AccessTokenProvider;
  /** the cashier appKey (-> pm_app_key), when the merchant uses Baidu's cashier */
  pmAppKey?: string;
  fetch?: typeof fetch;
  /** the calls per second all functions share: a slot is taken before every attempt; default none */
  budget?: CallBudget;
  /** epoch milliseconds */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** one HTTP exchange; default 3000 ms */
  callTimeoutMs?: number;
  /** attempts for transient failures, the first included; default 4 */
  maxAttempts?: number;
  /** backoff: full jitter over min(maxDelayMs, baseDelayMs × 2^(attempt-1)); defaults 100 and 2000 ms */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface CallOptions {
  /** epoch milliseconds after which no attempt starts and no wait extends; default now + 10 s */
  deadline?: number;
}

export interface CallResult {
  reply: OrderCenterReply;
  attempts: number;
}

export interface OrderCenterClient {
  call<C extends OrderCenterCall>(
    call: C,
    body: CallBodies[C],
    query: CallQuery,
    options?: CallOptions,
  ): Promise<CallResult>;
}

const defaults = {
  fetch: (...args: Parameters<typeof fetch>) => fetch(...args),
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  budget: UNLIMITED,
  callTimeoutMs: 3000,
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 2000,
  defaultBudgetMs: 10_000,
};

/** A failure worth a later look, built from an outcome; the URL (it holds the token) is never part of it. */
function errorFrom(outcome: Extract<ReplyOutcome, { ok: false }>, detail: FailureDetail): OrderCenterError {
  const full = { ...detail, errno: outcome.errno, errorCode: outcome.errorCode };
  switch (outcome.kind) {
    case 'transient':
      return new TransientOrderCenterError(outcome.message, full);
    case 'token':
      return new TokenRejectedError(outcome.message, full);
    case 'not-found':
      return new OrderNotFoundError(outcome.message, full, outcome.items ?? []);
    case 'permanent':
      return new PermanentOrderCenterError(outcome.message, full);
    case 'quota':
      return new QuotaExceededError(outcome.message, full);
    case 'unknown':
      return new UnknownReplyError(outcome.message, full);
  }
}

/**
 * The seven Order Center calls. Validates every body before sending it, retries transient failures with
 * exponential backoff and full jitter within the caller's deadline, refetches the token once when
 * Baidu rejects it, and turns everything else into a typed error the sync engine can act on.
 */
export function createOrderCenterClient(options: OrderCenterClientOptions): OrderCenterClient {
  // An option given as undefined keeps its default.
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...defaults, ...(given as OrderCenterClientOptions) };
  const origin = o.baseUrl.replace(/\/+$/, '');

  function urlFor(call: OrderCenterCall, token: string, query: CallQuery): string {
    const params = new URLSearchParams({ access_token: token, open_id: query.openId });
    if (query.sceneId) {
      params.set('scene_id', query.sceneId);
      params.set('scene_type', '2');
    }
    const pmAppKey = query.pmAppKey ?? o.pmAppKey;
    if (pmAppKey) params.set('pm_app_key', pmAppKey);
    return `${origin}${CALL_PATHS[call]}?${params.toString()}`;
  }

  async function exchange(url: string, payload: string, timeoutMs: number): Promise<ReplyOutcome> {
    try {
      const response = await o.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: payload,
        signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
      });
      return classifyReply(response.status, await response.text());
    } catch (err) {
      // Checked by name: fetch's errors may come from another realm, where instanceof Error fails.
      const name = (err as { name?: unknown } | null)?.name;
      const reason = name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'network error';
      return { ok: false, kind: 'transient', message: reason };
    }
  }

  /** The token, or the deadline's error if reading it outlasts the deadline (the read itself goes on). */
  async function tokenBefore(deadline: number, outOfTime: () => Error): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(outOfTime()), Math.max(0, deadline - o.now()));
    });
    try {
      return await Promise.race([o.tokens.getToken(), expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async call(call, body, query, callOptions = {}) {
      const deadline = callOptions.deadline ?? o.now() + o.defaultBudgetMs;
      const issues = validateCallBody(call, body);
      if (issues.length > 0) throw new RejectedBodyError({ call, attempts: 0 }, issues);
      if (!query.openId) {
        throw new RejectedBodyError({ call, attempts: 0 }, [
          { path: 'open_id', message: 'open_id is required' },
        ]);
      }
      const payload = JSON.stringify(body);

      let attempts = 0;
      let tokenRefetched = false;
      let transientFailures = 0;
      const outOfTime = () =>
        new TransientOrderCenterError(`deadline reached before attempt ${attempts + 1}`, { call, attempts });
      for (;;) {
        if (deadline - o.now() <= 0) throw outOfTime();
        const token = await tokenBefore(deadline, outOfTime);
        // Measured after the token read: a slow SSM must not push an attempt past the deadline.
        // One slot of the shared budget per attempt; none before the deadline: no attempt at all.
        if (!(await o.budget.take(deadline))) throw outOfTime();
        const remaining = deadline - o.now();
        if (remaining <= 0) throw outOfTime();
        attempts += 1;
        const outcome = await exchange(
          urlFor(call, token, query),
          payload,
          Math.min(o.callTimeoutMs, remaining),
        );
        if (outcome.ok) return { reply: outcome.reply, attempts };

        // Call quota exceeded: every instance holds off (the shared budget), and this order backs off.
        if (outcome.kind === 'quota') await o.budget.pause();
        const failure = errorFrom(outcome, { call, attempts });
        if (outcome.kind === 'token' && !tokenRefetched) {
          // Baidu says the token is invalid or expired: drop it, fetch the current one at once, retry once.
          tokenRefetched = true;
          o.tokens.invalidate(token);
          continue;
        }
        // Quota and unknown codes wait on the order's own schedule (minutes), never in the request.
        if (outcome.kind !== 'transient') throw failure;

        transientFailures += 1;
        if (transientFailures >= o.maxAttempts) throw failure;
        const delay = Math.floor(
          o.random() * Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (transientFailures - 1)),
        );
        if (o.now() + delay >= deadline) throw failure;
        await o.sleep(delay);
      }
    },
  };
}
