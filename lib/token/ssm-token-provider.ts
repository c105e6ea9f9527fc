import type { SSMClient } from '@aws-sdk/client-ssm';
import { cachedValue } from '../cached-value';
import { InvalidInputError, type FieldIssue } from '../validation';
import { describeError, ParameterStoreError, TokenUnavailableError } from './errors';
import type { AccessTokenProvider } from './provider';
import { readSecureString } from './ssm-parameter';

/** docs/contract.md section 7: the token is cached for at most 5 minutes. */
export const DEFAULT_TOKEN_MAX_AGE_MS = 300_000;

export interface SsmTokenProviderOptions {
  ssm: Pick<SSMClient, 'send'>;
  /** The SecureString holding the token (ACCESS_TOKEN_PARAM). */
  parameterName: string;
  /** How long a fetched token is used before SSM is read again. Default 300 000 (5 minutes). */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * The access token from SSM, cached. Construction does no I/O, so a handler's cold start cannot fail on
 * SSM: a slow or unreachable SSM surfaces as a TokenUnavailableError from the first getToken().
 */
export function createSsmTokenProvider(options: SsmTokenProviderOptions): AccessTokenProvider {
  const { ssm, parameterName, maxAgeMs, now } = checkedOptions(options);
  const token = cachedValue(
    async () => {
      try {
        return await readSecureString(ssm, parameterName);
      } catch (err) {
        const reason = err instanceof ParameterStoreError ? err.reason : describeError(err);
        throw new TokenUnavailableError(parameterName, reason, { cause: err });
      }
    },
    { maxAgeMs, now },
  );
  return { getToken: () => token.get(), invalidate: (value) => token.invalidate(value) };
}

function checkedOptions(options: SsmTokenProviderOptions): Required<SsmTokenProviderOptions> {
  const { ssm, parameterName, maxAgeMs = DEFAULT_TOKEN_MAX_AGE_MS, now = Date.now } = options;
  const issues: FieldIssue[] = [];
  if (typeof ssm?.send !== 'function') issues.push({ path: 'ssm', message: 'must be an SSM client' });
  if (typeof parameterName !== 'string' || parameterName.trim() === '') {
    issues.push({ path: 'parameterName', message: 'must be a non-empty string' });
  }
  if (typeof maxAgeMs !== 'number' || !(maxAgeMs > 0)) {
    issues.push({ path: 'maxAgeMs', message: 'must be a positive number of milliseconds' });
  }
  if (typeof now !== 'function') {
    issues.push({ path: 'now', message: 'must be a function returning epoch ms' });
  }
  if (issues.length > 0) throw new InvalidInputError(issues, 'createSsmTokenProvider options');
  return { ssm, parameterName, maxAgeMs, now };
}
