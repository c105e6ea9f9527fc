import {
  PermanentOrderCenterError,
  RejectedBodyError,
  TokenRejectedError,
  TransientOrderCenterError,
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
});
