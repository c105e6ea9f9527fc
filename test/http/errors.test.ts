import { SignatureError } from '../../lib/events';
import { asHttpError, HttpError, MalformedBodyError } from '../../lib/http';
import { OrderTooLargeError } from '../../lib/ledger/dynamo-ledger';
import { EventIdConflictError, LedgerUnavailableError } from '../../lib/ledger/types';
import { OrderOwnerChangedError } from '../../lib/order-owner';
import { ParameterStoreError } from '../../lib/token/errors';
import { InvalidInputError } from '../../lib/validation';

describe('asHttpError', () => {
  it.each<[string, unknown, { status: number; code: string; paths: string[] }]>([
    [
      'an invalid event',
      new InvalidInputError([
        { path: 'eventId', message: 'is required' },
        { path: 'order.items[0].price', message: 'must be an integer amount in fen (>= 0)' },
      ]),
      { status: 422, code: 'invalid_event', paths: ['eventId', 'order.items[0].price'] },
    ],
    [
      'a mismatched signature',
      new SignatureError('mismatch', 'X-Signature does not match the body'),
      { status: 401, code: 'bad_signature', paths: ['X-Signature'] },
    ],
    [
      'a stale signature',
      new SignatureError('stale', 'X-Signature t is 400 s behind now'),
      { status: 401, code: 'bad_signature', paths: ['X-Signature'] },
    ],
    [
      'an eventId reused for other content',
      new EventIdConflictError('order-1', 'evt-1'),
      { status: 409, code: 'conflict', paths: ['eventId'] },
    ],
    [
      'an order too large to record',
      new OrderTooLargeError('recording: item size'),
      { status: 422, code: 'invalid_event', paths: ['order'] },
    ],
    [
      'a snapshot that gives a known order to another user',
      new OrderOwnerChangedError('o-1', 'user-a'),
      { status: 409, code: 'order_owner_conflict', paths: ['order.openId'] },
    ],
    [
      'a ledger that cannot be written',
      new LedgerUnavailableError('recording order 1: ResourceNotFoundException'),
      { status: 503, code: 'ledger_unavailable', paths: [] },
    ],
    [
      'an SSM parameter that cannot be read',
      new ParameterStoreError('/swan-order-sync/dev/webhook-secret', 'read', 'AccessDenied'),
      { status: 503, code: 'parameter_store_unavailable', paths: [] },
    ],
    [
      'a refusal already',
      new MalformedBodyError('malformed_json', 'the body is not valid JSON', [
        { path: 'body', message: 'x' },
      ]),
      { status: 400, code: 'malformed_json', paths: ['body'] },
    ],
  ])('%s', (_name, err, expected) => {
    // Act
    const refusal = asHttpError(err);

    // Assess
    expect(refusal).toBeInstanceOf(HttpError);
    expect(refusal).toMatchObject({ status: expected.status, code: expected.code });
    expect(refusal!.details.map((d) => d.path)).toEqual(expected.paths);
  });

  it('says a stale signature may be a replay', () => {
    expect(asHttpError(new SignatureError('stale', 'X-Signature t is 400 s behind now'))?.message).toMatch(
      /replay/,
    );
  });

  it('keeps AWS details out of what a sender reads', () => {
    const refusal = asHttpError(
      new LedgerUnavailableError('recording order 1: AccessDeniedException: arn:aws:...'),
    );
    expect(refusal?.message).not.toMatch(/arn:aws|AccessDenied/);
  });

  it.each([new Error('boom'), new TypeError('x is undefined'), 'thrown text', undefined])(
    'leaves a fault of ours (%p) unmapped',
    (err) => {
      expect(asHttpError(err)).toBeUndefined();
    },
  );
});
