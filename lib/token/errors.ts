/** The access token could not be read from SSM. Names the parameter, never a value. */
export class TokenUnavailableError extends Error {
  override readonly name = 'TokenUnavailableError';
  constructor(
    readonly parameter: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`access token unavailable: SSM parameter ${parameter}: ${reason}`, options);
  }
}

/** Reading or writing an SSM parameter failed. Names the parameter, never a value. */
export class ParameterStoreError extends Error {
  override readonly name = 'ParameterStoreError';
  constructor(
    readonly parameter: string,
    readonly action: 'read' | 'write',
    readonly reason: string,
  ) {
    super(`cannot ${action} SSM parameter ${parameter}: ${reason}`);
  }
}

/**
 * Why the OAuth token request failed: Baidu refused it (`rejected`, e.g. invalid_client), an HTTP error
 * without Baidu's error body (`http`), a reply we cannot use (`malformed`), no reply in time (`timeout`),
 * or no connection (`network`).
 */
export type OAuthFailure = 'rejected' | 'http' | 'malformed' | 'timeout' | 'network';

/** The OAuth token request failed. The message never carries the AppSecret or a token. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly reason: OAuthFailure,
    message: string,
    readonly status?: number,
    /** Baidu's own error code (`invalid_client`, ...) when it sent one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ErrorLike {
  name: string;
  message: string;
  cause?: unknown;
}

/** Duck-typed, not `instanceof Error`: fetch's errors can come from another realm (undici, a test sandbox). */
export function asErrorLike(err: unknown): ErrorLike | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { name, message } = err as Partial<ErrorLike>;
  return typeof name === 'string' && typeof message === 'string' ? (err as ErrorLike) : undefined;
}

/** `Name: message` of whatever was thrown, for an error message of our own. */
export function describeError(err: unknown): string {
  const known = asErrorLike(err);
  if (!known) return String(err);
  return known.message ? `${known.name}: ${known.message}` : known.name;
}

/** Replaces every occurrence of the given secrets, so a message built from foreign text cannot leak one. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length > 0).reduce((out, secret) => out.split(secret).join('***'), text);
}
