export type { AccessTokenProvider } from './provider';
export {
  createSsmTokenProvider,
  DEFAULT_TOKEN_MAX_AGE_MS,
  type SsmTokenProviderOptions,
} from './ssm-token-provider';
export {
  rotateAccessToken,
  DEFAULT_OAUTH_BASE_URL,
  DEFAULT_OAUTH_TIMEOUT_MS,
  type RotateAccessTokenOptions,
  type RotationResult,
} from './rotate';
export { parseTokenReply, type TokenGrant } from './oauth-reply';
export { TokenUnavailableError, OAuthError, ParameterStoreError, type OAuthFailure } from './errors';
