/** The port the Order Center client gets its access token through. */
export interface AccessTokenProvider {
  getToken(): Promise<string>;
  /** Baidu said this token is invalid or expired: forget it (only if it is still the cached one) so the next getToken() fetches at once. */
  invalidate(token: string): void;
}
