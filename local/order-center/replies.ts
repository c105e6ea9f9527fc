import type { ReplyItem } from './model';

/** One answer: HTTP status and body (an object goes out as JSON, a string as text/html unless contentType says). */
export interface Answer {
  status: number;
  body: unknown;
  contentType?: string;
}

export const TOKEN_INVALID = { error_code: 110, error_msg: 'Access token invalid or no longer valid' };
export const TOKEN_EXPIRED = { error_code: 111, error_msg: 'Access token expired' };

/** Baidu's gateway answers token errors with HTTP 200. */
export function gatewayError(error: typeof TOKEN_INVALID | typeof TOKEN_EXPIRED): Answer {
  return { status: 200, body: { ...error } };
}

export function paramError(path: string, message: string): Answer {
  return { status: 200, body: { errno: 2002, msg: `param error: ${path}: ${message}`, data: [] } };
}

/** Baidu's call quotas: the gateway's per-second and daily limits, and the Order Center's own errno. */
export const QUOTA_ANSWERS: readonly Answer[] = [
  { status: 200, body: { error_code: 18, error_msg: 'Open api qps request limit reached' } },
  { status: 200, body: { error_code: 17, error_msg: 'Open api daily request limit reached' } },
  { status: 200, body: { errno: 50029, msg: 'quota exceeded', data: [] } },
];

/** A code no page or SDK documents, as a new Baidu release might answer. */
export const UNKNOWN_CODE: Answer = {
  status: 200,
  body: { errno: 31337, msg: 'undocumented error', data: [] },
};

export function busy(errno: number): Answer {
  return { status: 200, body: { errno, msg: 'busy', data: [] } };
}

export function success(items: ReplyItem[]): Answer {
  return { status: 200, body: { errno: 0, msg: 'success', data: items } };
}

/** A gateway in trouble: an nginx HTML page or the open platform's own "service unavailable". */
export const GATEWAY_FAILURES: readonly Answer[] = [
  {
    status: 502,
    body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
  },
  { status: 503, body: { error_code: 2, error_msg: 'Service temporarily unavailable' } },
];

export function unknownPath(path: string): Answer {
  return { status: 404, body: { error_code: 3, error_msg: `Unsupported openapi method: ${path}` } };
}

export function methodNotAllowed(method: string, allowed: string): Answer {
  return {
    status: 405,
    body: { error_code: 3, error_msg: `method ${method} not allowed here, use ${allowed}` },
  };
}
