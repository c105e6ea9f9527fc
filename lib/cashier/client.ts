import type { CallBudget } from '../budget';
import { classifyReply } from '../order-center/reply';
import type { FailureKind } from '../order-center/errors';
import type { AccessTokenProvider } from '../token/provider';

/** Baidu's path for the cashier's query by our order id (CONTRACT section 5c; Go SDK openapi/findByTpOrderId.go). */
export const FIND_BY_TP_ORDER_ID_PATH = '/rest/2.0/smartapp/pay/paymentservice/findByTpOrderId';
/** errno of a tpOrderId the cashier has no order for (the buyer never reached the cashier). */
export const CASHIER_ORDER_NOT_FOUND = 10002;

/** The calls per second all functions share (lib/budget): a slot before every attempt, a pause on quota. */
export type QueryBudget = CallBudget;

/** What the cashier says about one of our orders. Ids stay the decimal text Baidu sent (int64s). */
export interface CashierQueryAnswer {
  tpOrderId: string;
  /** the cashier's own order id (-> scene_id) */
  orderId: string;
  /** 1 unpaid, 2 paid (anything else: not paid as far as this service is concerned) */
  status: number;
  totalMoney: number;
  payMoney: number;
  userId: string;
  dealId: string;
}

export type CashierQueryResult =
  { found: true; answer: CashierQueryAnswer; attempts: number } | { found: false; attempts: number };

export interface CashierQueryClient {
  findByTpOrderId(tpOrderId: string, options?: { deadline?: number }): Promise<CashierQueryResult>;
}

/** A query that did not get an answer: classified as the Order Center's failures are (transient, token, quota...). */
export class CashierQueryError extends Error {
  override readonly name = 'CashierQueryError';
  constructor(
    message: string,
    readonly kind: Exclude<FailureKind, 'not-found'>,
    readonly attempts: number,
    readonly detail: { errno?: number; errorCode?: number } = {},
  ) {
    super(`findByTpOrderId: ${message}`);
  }
}

export interface CashierQueryClientOptions {
  /** Baidu's OpenAPI origin (ORDER_CENTER_BASE_URL: the cashier query lives beside the Order Center) */
  baseUrl: string;
  tokens: AccessTokenProvider;
  /** CASHIER_APP_KEY (-> pmAppKey) */
  pmAppKey: string;
  budget?: QueryBudget;
  fetch?: typeof fetch;
  now?: () => number;
  /** one HTTP exchange; default 3000 ms */
  callTimeoutMs?: number;
}

type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

/** Numbers whose exact digits matter (int64 ids): kept as their source text, never rounded by a double. */
const ID_FIELDS = new Set(['orderId', 'userId', 'dealId', 'tpOrderId']);

function parseKeepingIds(text: string): unknown {
  const reviver: Reviver = (key, value, context) =>
    ID_FIELDS.has(key) && typeof value === 'number' ? (context?.source ?? String(value)) : value;
  return JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fen(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/**
 * The answer inside an errno-0 reply, checked: it must be about the order asked, with a cashier order id,
 * a status and amounts in whole fen. Anything else is not an answer to act on (a permanent failure).
 */
export function readCashierAnswer(data: unknown, tpOrderId: string): CashierQueryAnswer | string {
  if (!isRecord(data)) return 'data is not an object';
  const orderId = text(data.orderId);
  if (!/^\S{1,128}$/.test(orderId)) return 'data.orderId is missing';
  if (text(data.tpOrderId) !== tpOrderId) return `data.tpOrderId is not ${tpOrderId}`;
  const status = typeof data.status === 'string' ? Number(data.status) : data.status;
  if (typeof status !== 'number' || !Number.isInteger(status)) return 'data.status is not a number';
  const totalMoney = fen(data.totalMoney);
  const payMoney = fen(data.payMoney);
  if (totalMoney === undefined) return 'data.totalMoney is not an amount in fen';
  if (payMoney === undefined) return 'data.payMoney is not an amount in fen';
  return {
    tpOrderId,
    orderId,
    status,
    totalMoney,
    payMoney,
    userId: text(data.userId),
    dealId: text(data.dealId),
  };
}

/**
 * The cashier's query by our order id (findByTpOrderId): one GET, the token refetched once when Baidu
 * rejects it, a slot of the shared budget before each attempt. No retry on a busy or failed reply: the
 * order stays due and the next run asks again, so a run never waits on the cashier.
 */
export function createCashierQueryClient(options: CashierQueryClientOptions): CashierQueryClient {
  const origin = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const now = options.now ?? (() => Date.now());
  const timeoutMs = options.callTimeoutMs ?? 3000;

  async function exchange(url: string, remaining: number): Promise<{ status: number; body: string }> {
    try {
      const response = await doFetch(url, {
        method: 'GET',
        signal: AbortSignal.timeout(Math.max(1, Math.min(timeoutMs, remaining))),
      });
      return { status: response.status, body: await response.text() };
    } catch (err) {
      const name = (err as { name?: unknown } | null)?.name;
      return { status: 0, body: name === 'TimeoutError' ? 'timed out' : 'network error' };
    }
  }

  return {
    async findByTpOrderId(tpOrderId, callOptions = {}) {
      const deadline = callOptions.deadline ?? now() + 10_000;
      let attempts = 0;
      for (let tokenRefetched = false; ; tokenRefetched = true) {
        const token = await options.tokens.getToken();
        if (options.budget && !(await options.budget.take(deadline))) {
          throw new CashierQueryError('no call budget left before the deadline', 'transient', attempts);
        }
        const remaining = deadline - now();
        if (remaining <= 0) throw new CashierQueryError('deadline reached', 'transient', attempts);
        attempts += 1;
        const params = new URLSearchParams({ access_token: token, tpOrderId, pmAppKey: options.pmAppKey });
        const { status, body } = await exchange(`${origin}${FIND_BY_TP_ORDER_ID_PATH}?${params}`, remaining);
        if (status === 0) throw new CashierQueryError(body, 'transient', attempts);
        let parsed: unknown;
        try {
          parsed = parseKeepingIds(body);
        } catch {
          parsed = undefined;
        }
        // The Go SDK reads error_code beside errno: a zero one (as encoding/json would write it) is no error.
        const gatewayError = isRecord(parsed) && Number(parsed.error_code ?? 0) !== 0;
        if (isRecord(parsed) && !gatewayError && Number(parsed.errno) === CASHIER_ORDER_NOT_FOUND) {
          return { found: false, attempts };
        }
        // Baidu's codes mean here what they mean for the Order Center: one classification for both.
        const outcome = classifyReply(status, body);
        if (outcome.ok) {
          const answer = readCashierAnswer(isRecord(parsed) ? parsed.data : undefined, tpOrderId);
          if (typeof answer === 'string') throw new CashierQueryError(answer, 'permanent', attempts);
          return { found: true, answer, attempts };
        }
        const kind = outcome.kind === 'not-found' ? 'unknown' : outcome.kind;
        const failure = new CashierQueryError(outcome.message, kind, attempts, {
          errno: outcome.errno,
          errorCode: outcome.errorCode,
        });
        if (kind === 'token' && !tokenRefetched) {
          options.tokens.invalidate(token);
          continue;
        }
        if (kind === 'quota') await options.budget?.pause();
        throw failure;
      }
    },
  };
}
