import type { Answer } from './replies';
import type { TokenRegistry } from './tokens';

/** An OAuth client the local Order Center knows: a mini-program's AppKey and AppSecret. */
export interface OAuthClient {
  appKey: string;
  appSecret: string;
}

export const OAUTH_TOKEN_PATH = '/oauth/2.0/token';
const GRANT_TYPE = 'client_credentials';
const SCOPE = 'smartapp_snsapi_base';

function oauthError(error: string, description: string): Answer {
  return { status: 400, body: { error, error_description: description } };
}

/**
 * Baidu's client-credentials token endpoint. Errors are HTTP 400 `{error, error_description}` with RFC 6749's
 * codes (a client that fails to authenticate, secret missing included, is invalid_client) and never repeat
 * the secret.
 */
export function answerTokenRequest(
  params: URLSearchParams,
  clients: readonly OAuthClient[],
  tokens: TokenRegistry,
): Answer {
  const grantType = params.get('grant_type');
  if (!grantType) return oauthError('invalid_request', 'grant_type is required');
  if (grantType !== GRANT_TYPE) {
    return oauthError(
      'unsupported_grant_type',
      `The authorization grant type is not supported: use ${GRANT_TYPE}`,
    );
  }
  const clientId = params.get('client_id');
  if (!clientId) return oauthError('invalid_client', 'client_id is required');
  const client = clients.find((c) => c.appKey === clientId);
  if (!client) return oauthError('invalid_client', 'unknown client id');
  const secret = params.get('client_secret');
  if (!secret) return oauthError('invalid_client', 'client_secret is required');
  if (secret !== client.appSecret) return oauthError('invalid_client', 'Client authentication failed');
  const scope = params.get('scope') ?? SCOPE;
  if (scope !== SCOPE) return oauthError('invalid_scope', `scope must be ${SCOPE}`);
  return {
    status: 200,
    body: {
      access_token: tokens.issue(client.appKey),
      expires_in: tokens.expiresIn,
      scope,
      session_key: '',
      session_secret: '',
    },
  };
}
