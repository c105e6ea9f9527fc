import {
  PermanentOrderCenterError,
  QuotaExceededError,
  RejectedBodyError,
  TokenRejectedError,
  TransientOrderCenterError,
  UnknownReplyError,
} from '../../lib/order-center/errors';
import { LedgerUnavailableError } from '../../lib/ledger/types';
import { failureEnd } from '../../lib/sync/push';

const NOW = 1_764_316_800_000;
const env = { now: () => NOW, random: () => 0.5, policy: { baseMs: 1000, maxMs: 8000, maxAttempts: 3 } };
const call = 'update/main/status' as const;

describe('failureEnd', () => {
  it.each([
    [
      'a deadline hit before anything was sent',
      new TransientOrderCenterError('deadline', { call, attempts: 0 }),
      1,
      'pending',
      1,
      NOW,
    ],
    [
      'a transient failure',
      new TransientOrderCenterError('HTTP 502', { call, attempts: 4 }),
      0,
      'pending',
      1,
      NOW + 750,
    ],
    [
      'a second transient failure backs off longer',
      new TransientOrderCenterError('busy', { call, attempts: 4 }),
      1,
      'pending',
      2,
      NOW + 1500,
    ],
    [
      'a token still refused',
      new TokenRejectedError('111', { call, attempts: 2 }),
      0,
      'pending',
      1,
      NOW + 750,
    ],
    ['the ledger failing mid-way', new LedgerUnavailableError('down'), 0, 'pending', 1, NOW + 750],
    [
      'one failure too many',
      new TransientOrderCenterError('HTTP 502', { call, attempts: 4 }),
      2,
      'dead',
      3,
      NOW + 3000,
    ],
    [
      'a permanent refusal',
      new PermanentOrderCenterError('errno 2002', { call, attempts: 1 }),
      0,
      'failed',
      1,
      NOW,
    ],
    [
      'a body our schema refuses',
      new RejectedBodyError({ call, attempts: 0 }, [{ path: 'Data', message: 'x' }]),
      0,
      'failed',
      1,
      NOW,
    ],
  ])('%s', (_label, err, attemptsBefore, syncState, attempts, nextAttemptAt) => {
    // Act
    const { end } = failureEnd({ attempts: attemptsBefore }, err, env);

    // Assess
    expect(end).toMatchObject({
      syncState,
      attempts,
      nextAttemptAt,
      lastError: { message: expect.any(String), at: NOW },
    });
  });

  describe("Baidu's call quota spent (errno 50029, error_code 17/18)", () => {
    it.each([
      ['with no jitter', 0, NOW + 5 * 60_000],
      ['with the most jitter', 1, NOW + 10 * 60_000],
    ])('waits minutes, %s, and counts no attempt', (_label, random, nextAttemptAt) => {
      // Act
      const { end, error } = failureEnd(
        { attempts: 2 },
        new QuotaExceededError('error_code 18: Open api qps request limit reached', {
          call,
          attempts: 1,
          errorCode: 18,
        }),
        { ...env, random: () => random },
      );

      // Assess
      expect(end).toMatchObject({ syncState: 'pending', attempts: 2, nextAttemptAt });
      expect(error.kind).toBe('quota');
    });

    it('never makes an order dead, however often it comes', () => {
      // Act
      const { end } = failureEnd(
        { attempts: 2 },
        new QuotaExceededError('errno 50029', { call, attempts: 1 }),
        env,
      );

      // Assess
      expect(end.syncState).toBe('pending');
    });
  });

  describe('a code Baidu does not document', () => {
    const unknown = () =>
      new UnknownReplyError('errno 31337: something new', { call, attempts: 1, errno: 31337 });

    it('is tried 3 times, minutes apart, then the order fails with the code and message', () => {
      // Act: three pushes in a row end with it, each starting from what the previous one wrote
      const first = failureEnd({ attempts: 0 }, unknown(), env).end;
      const second = failureEnd(first, unknown(), env).end;
      const third = failureEnd(second, unknown(), env).end;

      // Assess
      expect([first.syncState, second.syncState, third.syncState]).toEqual(['pending', 'pending', 'failed']);
      expect(first.nextAttemptAt).toBe(NOW + 60_000);
      expect(second.nextAttemptAt).toBe(NOW + 60_000);
      expect(third.lastError).toMatchObject({ kind: 'unknown', repeats: 3 });
      expect(third.lastError!.message).toMatch(/errno 31337: something new .*3 pushes in a row/);
    });

    it('counts its tries afresh after another kind of failure', () => {
      // Prepare
      const afterBusy = {
        attempts: 5,
        lastError: { kind: 'transient', message: 'busy', at: NOW, repeats: 9 },
      };

      // Act
      const { end } = failureEnd(afterBusy, unknown(), env);

      // Assess
      expect(end).toMatchObject({ syncState: 'pending', attempts: 6, lastError: { repeats: 1 } });
    });

    it('waits longer than the minute when the order schedule says so', () => {
      // Act
      const { end } = failureEnd({ attempts: 0 }, unknown(), {
        ...env,
        policy: { ...env.policy, baseMs: 240_000, maxMs: 480_000 },
      });

      // Assess
      expect(end.nextAttemptAt).toBe(NOW + 180_000);
    });
  });
});
