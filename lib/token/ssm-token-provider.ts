import type { SSMClient } from '@aws-sdk/client-ssm';
import { InvalidInputError, type FieldIssue } from '../validation';
import { describeError, ParameterStoreError, TokenUnavailableError } from './errors';
import type { AccessTokenProvider } from './provider';
import { readSecureString } from './ssm-parameter';

/** CONTRACT.md section 7: the token is cached for at most 5 minutes. */
export const DEFAULT_TOKEN_MAX_AGE_MS = 300_000;

export interface SsmTokenProviderOptions {
  ssm: Pick<SSMClient, 'send'>;
  /** The SecureString holding the token (ACCESS_TOKEN_PARAM). */
  parameterName: string;
  /** How long a fetched token is used before SSM is read again. Default 300 000 (5 minutes). */
  maxAgeMs?: number;
  now?: () => number;
}

interface CachedToken {
  token: string;
  fetchedAt: number;
}

/**
 * The access token from SSM, cached. Construction does no I/O, so a handler's cold start cannot fail on
 * SSM: a slow or unreachable SSM surfaces as a TokenUnavailableError from the first getToken().
 */
export function createSsmTokenProvider(options: SsmTokenProviderOptions): AccessTokenProvider {
  const { ssm, parameterName, maxAgeMs, now } = checkedOptions(options);
  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;

  const isFresh = (entry: CachedToken): boolean => {
    const age = now() - entry.fetchedAt;
    return age >= 0 && age < maxAgeMs;
  };

  const fetchToken = async (): Promise<string> => {
    // Age counts from the start of the read: the value can be no older than that.
    const startedAt = now();
    try {
      const token = await readSecureString(ssm, parameterName);
      cached = { token, fetchedAt: startedAt };
      return token;
    } catch (err) {
      const reason = err instanceof ParameterStoreError ? err.reason : describeError(err);
      throw new TokenUnavailableError(parameterName, reason, { cause: err });
    }
  };

  return {
    getToken(): Promise<string> {
      if (cached && isFresh(cached)) return Promise.resolve(cached.token);
      // Single flight: a cold start under load makes one SSM call, not one per caller.
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(token: string): void {
      // A caller holding an old token must not throw away a newer one fetched meanwhile.
      if (cached?.token === token) cached = undefined;
    },
  };
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
