import { randomBytes } from 'node:crypto';

export type TokenCheck = { ok: true; appKey: string } | { ok: false; reason: 'invalid' | 'expired' };

interface IssuedToken {
  appKey: string;
  expiresAt: number;
}

/**
 * Access tokens this server issued. Like Baidu, a newer token does not revoke older ones of the same app:
 * each stays valid until its own expiry.
 */
export class TokenRegistry {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  get expiresIn(): number {
    return this.ttlSeconds;
  }

  issue(appKey: string): string {
    const token = `24.${randomBytes(32).toString('hex')}`;
    this.tokens.set(token, { appKey, expiresAt: this.now() + this.ttlSeconds });
    return token;
  }

  check(token: string): TokenCheck {
    const issued = this.tokens.get(token);
    if (!issued) return { ok: false, reason: 'invalid' };
    if (this.now() >= issued.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, appKey: issued.appKey };
  }

  /** Every token issued so far expires now; tokens issued later are valid as usual. */
  expireAll(): void {
    // -Infinity rather than now(): a test clock that steps back must not revive them.
    for (const issued of this.tokens.values()) issued.expiresAt = -Infinity;
  }
}
