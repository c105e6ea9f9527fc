import { OAuthError } from './errors';

export interface TokenGrant {
  accessToken: string;
  /** Seconds from the request (Baidu sends 2592000, 30 days). */
  expiresIn: number;
}

/**
 * Reads Baidu's reply to the client_credentials token request (docs/contract.md section 8): `{access_token,
 * expires_in}` on success, HTTP 400 `{error, error_description}` on refusal. `scrub` removes secrets
 * from any text taken from the reply before it goes into an error message.
 */
export function parseTokenReply(
  status: number,
  body: string,
  scrub: (text: string) => string = (t) => t,
): TokenGrant {
  const reply = parseObject(body);
  const refusal = reply && refusalOf(reply);
  if (refusal) {
    throw new OAuthError('rejected', scrub(`${refusal.code}: ${refusal.description}`), status, refusal.code);
  }
  if (status < 200 || status > 299) {
    throw new OAuthError(
      'http',
      `OAuth token request: HTTP ${status}${reply ? '' : ', reply not JSON'}`,
      status,
    );
  }
  if (!reply) {
    throw new OAuthError('malformed', `OAuth token reply (HTTP ${status}) is not a JSON object`, status);
  }
  const token = reply.access_token;
  if (typeof token !== 'string' || token.trim() === '') {
    throw new OAuthError('malformed', 'OAuth token reply: access_token is missing or empty', status);
  }
  const expiresIn = positiveSeconds(reply.expires_in);
  if (expiresIn === undefined) {
    throw new OAuthError(
      'malformed',
      'OAuth token reply: expires_in must be a positive number of seconds',
      status,
    );
  }
  return { accessToken: token, expiresIn };
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** OAuth's `{error, error_description}`, or the API gateway's `{error_code, error_msg}`. */
function refusalOf(reply: Record<string, unknown>): { code: string; description: string } | undefined {
  const text = (value: unknown): string | undefined =>
    (typeof value === 'string' && value !== '') || typeof value === 'number' ? String(value) : undefined;
  const code = text(reply.error) ?? text(reply.error_code);
  if (code === undefined) return undefined;
  return { code, description: text(reply.error_description) ?? text(reply.error_msg) ?? '(no description)' };
}

function positiveSeconds(value: unknown): number | undefined {
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}
