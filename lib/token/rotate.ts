import type { SSMClient } from '@aws-sdk/client-ssm';
import { InvalidInputError, type FieldIssue } from '../validation';
import { asErrorLike, OAuthError, redact } from './errors';
import { parseTokenReply, type TokenGrant } from './oauth-reply';
import { readSecureString, writeSecureString } from './ssm-parameter';

export const DEFAULT_OAUTH_BASE_URL = 'https://openapi.baidu.com';
export const DEFAULT_OAUTH_TIMEOUT_MS = 10_000;

export interface RotateAccessTokenOptions {
  ssm: Pick<SSMClient, 'send'>;
  fetch: typeof fetch;
  /** ORDER_CENTER_BASE_URL. Default https://openapi.baidu.com. */
  oauthBaseUrl?: string;
  /** BAIDU_APP_KEY, the OAuth client_id. */
  appKey: string;
  /** APP_SECRET_PARAM: the SecureString holding the AppSecret. */
  appSecretParam: string;
  /** ACCESS_TOKEN_PARAM: the SecureString the new token is written to. */
  accessTokenParam: string;
  now?: () => number;
  /** For the whole OAuth exchange, reply body included. Default 10 000. */
  timeoutMs?: number;
}

/** When the new token expires. The token itself is never returned: it lives only in SSM. */
export interface RotationResult {
  expiresIn: number;
  expiresAt: string;
  parameter: string;
}

/**
 * Renews the access token: AppSecret from SSM, a client_credentials grant from Baidu OAuth, the new token
 * written back to SSM as a SecureString. Every error message is scrubbed of the AppSecret and the token.
 */
export async function rotateAccessToken(options: RotateAccessTokenOptions): Promise<RotationResult> {
  const settings = checkedOptions(options);
  const appSecret = await readSecureString(settings.ssm, settings.appSecretParam);
  const requestedAt = settings.now();
  const grant = await requestToken(settings, appSecret);
  await writeSecureString(settings.ssm, settings.accessTokenParam, grant.accessToken);
  return {
    expiresIn: grant.expiresIn,
    expiresAt: new Date(requestedAt + grant.expiresIn * 1000).toISOString(),
    parameter: settings.accessTokenParam,
  };
}

type Settings = Required<RotateAccessTokenOptions>;

async function requestToken(settings: Settings, appSecret: string): Promise<TokenGrant> {
  const url = new URL(`${settings.oauthBaseUrl.replace(/\/+$/, '')}/oauth/2.0/token`);
  url.search = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: settings.appKey,
    client_secret: appSecret,
    scope: 'smartapp_snsapi_base',
  }).toString();
  // The secret as sent in the query string too: a URL echoed in an error carries that form.
  const queryForm = new URLSearchParams({ s: appSecret }).toString().slice(2);
  const scrub = (text: string): string => redact(text, [appSecret, queryForm, encodeURIComponent(appSecret)]);

  let status: number;
  let body: string;
  try {
    const response = await settings.fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    status = response.status;
    body = await response.text();
  } catch (err) {
    const name = asErrorLike(err)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new OAuthError('timeout', `OAuth token request: no reply within ${settings.timeoutMs} ms`);
    }
    // The error is not attached as a cause: some fetch implementations put the URL, secret included, in it.
    throw new OAuthError('network', scrub(`OAuth token request failed: ${networkReason(err)}`));
  }
  return parseTokenReply(status, body, scrub);
}

function networkReason(err: unknown): string {
  const known = asErrorLike(err);
  if (!known) return String(err);
  const cause = asErrorLike(known.cause);
  return cause ? `${known.message} (${cause.message})` : known.message;
}

function checkedOptions(options: RotateAccessTokenOptions): Settings {
  const {
    ssm,
    fetch: fetchFn,
    oauthBaseUrl = DEFAULT_OAUTH_BASE_URL,
    appKey,
    appSecretParam,
    accessTokenParam,
    now = Date.now,
    timeoutMs = DEFAULT_OAUTH_TIMEOUT_MS,
  } = options;
  const issues: FieldIssue[] = [];
  const nonEmpty = (value: unknown, path: string): void => {
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push({ path, message: 'must be a non-empty string' });
    }
  };
  if (typeof ssm?.send !== 'function') issues.push({ path: 'ssm', message: 'must be an SSM client' });
  if (typeof fetchFn !== 'function') issues.push({ path: 'fetch', message: 'must be a fetch function' });
  if (!isHttpUrl(oauthBaseUrl)) issues.push({ path: 'oauthBaseUrl', message: 'must be an http(s) URL' });
  nonEmpty(appKey, 'appKey');
  nonEmpty(appSecretParam, 'appSecretParam');
  nonEmpty(accessTokenParam, 'accessTokenParam');
  if (typeof now !== 'function') {
    issues.push({ path: 'now', message: 'must be a function returning epoch ms' });
  }
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    issues.push({ path: 'timeoutMs', message: 'must be a positive number of milliseconds' });
  }
  if (issues.length > 0) throw new InvalidInputError(issues, 'rotateAccessToken options');
  return { ssm, fetch: fetchFn, oauthBaseUrl, appKey, appSecretParam, accessTokenParam, now, timeoutMs };
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
