import { TokenRegistry } from '../../local/order-center';
import { testClock } from './helpers';

describe('TokenRegistry', () => {
  it('accepts a token it issued, for the app it issued it to', () => {
    // Prepare
    const tokens = new TokenRegistry(100, testClock().now);
    // Act
    const token = tokens.issue('app-1');
    // Assess
    expect(tokens.check(token)).toEqual({ ok: true, appKey: 'app-1' });
    expect(token).toMatch(/^[\w.]{32,}$/);
  });

  it('calls a token it never issued invalid', () => {
    // Prepare
    const tokens = new TokenRegistry(100, testClock().now);
    tokens.issue('app-1');
    // Act
    const check = tokens.check('24.0123456789abcdef0123456789abcdef');
    // Assess
    expect(check).toEqual({ ok: false, reason: 'invalid' });
  });

  it.each([
    [99, true],
    [100, false],
  ])('after %i of 100 seconds, the token is valid: %s', (elapsed, valid) => {
    // Prepare
    const clock = testClock();
    const tokens = new TokenRegistry(100, clock.now);
    const token = tokens.issue('app-1');
    // Act
    clock.advance(elapsed);
    // Assess
    expect(tokens.check(token).ok).toBe(valid);
  });

  it('expires every token issued so far, for good, and keeps issuing valid ones', () => {
    // Prepare
    const clock = testClock();
    const tokens = new TokenRegistry(100, clock.now);
    const older = [tokens.issue('app-1'), tokens.issue('app-2')];
    // Act
    tokens.expireAll();
    clock.advance(-50);
    const newer = tokens.issue('app-1');
    // Assess
    expect(older.map((t) => tokens.check(t))).toEqual([
      { ok: false, reason: 'expired' },
      { ok: false, reason: 'expired' },
    ]);
    expect(tokens.check(newer).ok).toBe(true);
  });
});
