import type { FailureKind } from './errors';
import type { OrderCenterReply, ReplyItem } from './types';

/** What one HTTP exchange with the Order Center amounts to. */
export type ReplyOutcome =
  | { ok: true; reply: OrderCenterReply }
  | {
      ok: false;
      kind: FailureKind;
      message: string;
      errno?: number;
      errorCode?: number;
      items?: ReplyItem[];
    };

/** Token invalid / expired, as the gateway (error_code) and the Order Center (errno) say it. */
const TOKEN_ERROR_CODES = new Set([110, 111]);
const TOKEN_ERRNOS = new Set([44003, 44004]);
/** Busy, retry later. */
const BUSY_ERRNOS = new Set([1000, 500, 5000]);
/** Gateway: unknown error, service unavailable, request/QPS limits reached. */
const TRANSIENT_ERROR_CODES = new Set([1, 2, 4, 17, 18, 19]);

function toInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Classifies a reply. Pure: the client does the I/O and the retrying.
 * Success is errno 0 and, for every returned item, rows_affected not 0 (a string or a number).
 */
export function classifyReply(httpStatus: number, text: string): ReplyOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }

  if (httpStatus >= 500 || httpStatus === 429 || httpStatus === 408) {
    return { ok: false, kind: 'transient', message: `HTTP ${httpStatus}` };
  }
  if (!isRecord(parsed)) {
    // A 200 with a body that is not JSON comes from a proxy in trouble, not from the Order Center's logic.
    const kind: FailureKind = httpStatus >= 200 && httpStatus < 300 ? 'transient' : 'permanent';
    return { ok: false, kind, message: `HTTP ${httpStatus}, reply is not a JSON object: ${truncate(text)}` };
  }

  const errorCode = toInt(parsed.error_code);
  if (errorCode !== undefined) {
    const message = `error_code ${errorCode}: ${String(parsed.error_msg ?? '')}`;
    if (TOKEN_ERROR_CODES.has(errorCode)) return { ok: false, kind: 'token', message, errorCode };
    if (TRANSIENT_ERROR_CODES.has(errorCode)) return { ok: false, kind: 'transient', message, errorCode };
    return { ok: false, kind: 'permanent', message, errorCode };
  }

  const errno = toInt(parsed.errno);
  if (errno === undefined) {
    return {
      ok: false,
      kind: 'permanent',
      message: `HTTP ${httpStatus}, reply has no errno: ${truncate(text)}`,
    };
  }
  if (errno !== 0) {
    const message = `errno ${errno}: ${String(parsed.msg ?? '')}`;
    if (TOKEN_ERRNOS.has(errno)) return { ok: false, kind: 'token', message, errno };
    if (BUSY_ERRNOS.has(errno)) return { ok: false, kind: 'transient', message, errno };
    return { ok: false, kind: 'permanent', message, errno };
  }
  if (httpStatus < 200 || httpStatus >= 300) {
    return { ok: false, kind: 'permanent', message: `HTTP ${httpStatus} with errno 0` };
  }

  const items: ReplyItem[] = Array.isArray(parsed.data) ? (parsed.data as ReplyItem[]) : [];
  const unaffected = items.filter((item) => toInt(item?.rows_affected) === 0);
  if (unaffected.length > 0) {
    return {
      ok: false,
      kind: 'not-found',
      message: `rows_affected 0 for ${unaffected.map((i) => String(i.resource_id)).join(', ')}`,
      errno,
      items: unaffected,
    };
  }
  return { ok: true, reply: { errno, msg: String(parsed.msg ?? ''), data: items } };
}
