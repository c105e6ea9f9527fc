import type { AccessTokenProvider } from '../../lib/token/provider';
import type { LocalOrderCenter } from '../../local/order-center';

/** A token provider backed by the local Order Center: every fetch gets a fresh token, and is counted. */
export function localTokens(oc: LocalOrderCenter, appKey: string): AccessTokenProvider & { fetches: number } {
  let current: string | undefined;
  return {
    fetches: 0,
    async getToken() {
      if (!current) {
        this.fetches += 1;
        current = oc.issueToken(appKey);
      }
      return current;
    },
    invalidate(token) {
      if (token === current) current = undefined;
    },
  };
}
