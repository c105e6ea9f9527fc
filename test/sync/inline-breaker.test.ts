import { createInlineBreaker } from '../../lib/sync/inline-breaker';
import type { PushOutcome } from '../../lib/sync/push';

const transient: Pick<PushOutcome, 'state' | 'error'> = {
  state: 'pending',
  error: { kind: 'transient', message: 'HTTP 503' },
};
const synced: Pick<PushOutcome, 'state' | 'error'> = { state: 'synced' };
const refused: Pick<PushOutcome, 'state' | 'error'> = {
  state: 'failed',
  error: { kind: 'permanent', message: 'errno 2002' },
};

describe('the inline push breaker', () => {
  it.each([
    ['two transient failures', [transient, transient], true],
    ['three transient failures in a row', [transient, transient, transient], false],
    ['three, with a success between', [transient, transient, synced, transient], true],
    ['permanent refusals (the order, not Baidu)', [refused, refused, refused, refused], true],
    [
      'quota errors',
      [1, 2, 3].map(() => ({
        state: 'pending' as const,
        error: { kind: 'quota', message: 'q' },
      })),
      false,
    ],
  ])('after %s, allows inline pushes: %s', (_label, outcomes, allowed) => {
    // Prepare
    const breaker = createInlineBreaker({ threshold: 3, openMs: 30_000 });

    // Act
    for (const outcome of outcomes) breaker.record(outcome, 1_000);

    // Assess
    expect(breaker.allows(1_000)).toBe(allowed);
  });

  it('lets one push through after the pause, and opens again on its failure', () => {
    // Prepare
    const breaker = createInlineBreaker({ threshold: 3, openMs: 30_000 });
    for (let i = 0; i < 3; i++) breaker.record(transient, 1_000);

    // Act & Assess
    expect(breaker.allows(30_999)).toBe(false);
    expect(breaker.allows(31_000)).toBe(true);
    breaker.record(transient, 31_000);
    expect(breaker.allows(31_001)).toBe(false);
    breaker.record(synced, 61_001);
    expect(breaker.allows(61_001)).toBe(true);
  });
});
