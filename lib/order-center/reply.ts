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

/**
 * Baidu's codes, by what to do about them (docs/contract.md section 8). A code in none of these sets is unknown:
 * not proof of a bad body, so it is retried a few times on the order's schedule before the order fails.
 */
const ERRNOS: Readonly<Record<Exclude<FailureKind, 'not-found' | 'unknown'>, ReadonlySet<number>>> = {
  /** token invalid, expired (44003, 44004) or revoked (44002) */
  token: new Set([44002, 44003, 44004]),
  /** busy, retry later */
  transient: new Set([1000, 500, 501, 5000]),
  /** parameter invalid (2002, 40001), no permission (6001, 44001) */
  permanent: new Set([2002, 40001, 6001, 44001]),
  /** call quota exceeded */
  quota: new Set([50029]),
};
const ERROR_CODES: Readonly<Record<Exclude<FailureKind, 'not-found' | 'unknown'>, ReadonlySet<number>>> = {
  token: new Set([110, 111]),
  /** the gateway's unknown error, service unavailable, request limit */
  transient: new Set([1, 2, 4, 19]),
  /** unsupported method (a wrong path or base URL), no permission, invalid parameter */
  permanent: new Set([3, 6, 100]),
  /** daily (17) and per-second (18) call quotas */
  quota: new Set([17, 18]),
};

function kindOf(code: number, table: typeof ERRNOS): FailureKind {
  for (const kind of ['token', 'transient', 'permanent', 'quota'] as const) {
    if (table[kind].has(code)) return kind;
  }
  return 'unknown';
}

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
    if (httpStatus >= 200 && httpStatus < 300) {
      return {
        ok: false,
        kind: 'transient',
        message: `HTTP ${httpStatus}, reply is not a JSON object: ${truncate(text)}`,
      };
    }
    // A 4xx page that is not Baidu's JSON: a proxy's 403, or a wrong base URL's 404. Retrying cannot help.
    return {
      ok: false,
      kind: 'permanent',
      message: `HTTP ${httpStatus} with a reply that is not Baidu's JSON: is ORDER_CENTER_BASE_URL the Order Center's origin, and does nothing in between refuse the request? ${truncate(text)}`,
    };
  }

  // A zero error_code (as the Go SDK's encoding/json writes and reads it) is no gateway error.
  const errorCode = toInt(parsed.error_code);
  if (errorCode !== undefined && errorCode !== 0) {
    const message = `error_code ${errorCode}: ${String(parsed.error_msg ?? '')}`;
    const kind = kindOf(errorCode, ERROR_CODES);
    if (errorCode === 3) {
      return { ok: false, kind, errorCode, message: `${message} (is ORDER_CENTER_BASE_URL right?)` };
    }
    return { ok: false, kind, message, errorCode };
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
    return { ok: false, kind: kindOf(errno, ERRNOS), message, errno };
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
