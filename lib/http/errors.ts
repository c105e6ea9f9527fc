import { SignatureError } from '../events/webhook-signature';
import { OrderTooLargeError } from '../ledger/dynamo-ledger';
import { EventIdConflictError, LedgerUnavailableError } from '../ledger/types';
import { OrderOwnerChangedError } from '../order-owner';
import { ParameterStoreError } from '../token/errors';
import { InvalidInputError, type FieldIssue } from '../validation';

/** A request refused with an HTTP status and a machine-readable code; `details` name the offending fields. */
export abstract class HttpError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

export class MalformedBodyError extends HttpError {
  override readonly name = 'MalformedBodyError';
  readonly status = 400;
  constructor(
    readonly code: 'malformed_json' | 'malformed_form',
    message: string,
    details: readonly FieldIssue[] = [],
  ) {
    super(message, details);
  }
}

export class BadSignatureError extends HttpError {
  override readonly name = 'BadSignatureError';
  readonly status = 401;
  readonly code = 'bad_signature';
}

export class RouteNotFoundError extends HttpError {
  override readonly name = 'RouteNotFoundError';
  readonly status = 404;
  readonly code = 'route_not_found';
}

export class PayloadTooLargeError extends HttpError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends HttpError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}

/**
 * The request contradicts what is recorded; nothing was changed (docs/contract.md sections 3 and 6):
 * `conflict`, an eventId already recorded with other content; `order_owner_conflict`, a snapshot giving a
 * known order another openId.
 */
export class ConflictError extends HttpError {
  override readonly name = 'ConflictError';
  readonly status = 409;
  constructor(
    readonly code: 'conflict' | 'order_owner_conflict',
    message: string,
    details: readonly FieldIssue[] = [],
  ) {
    super(message, details);
  }
}

export class InvalidEventError extends HttpError {
  override readonly name = 'InvalidEventError';
  readonly status = 422;
  readonly code = 'invalid_event';
}

/** The request may be fine, but what it needs is down: the sender retries (Baidu does on its own). */
export class ServiceUnavailableError extends HttpError {
  override readonly name = 'ServiceUnavailableError';
  readonly status = 503;
  constructor(
    readonly code: 'ledger_unavailable' | 'parameter_store_unavailable',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The refusal a domain error stands for, or undefined for a genuine internal fault. Messages of
 * unavailable dependencies stay generic: the sender needs to know to retry, not how AWS failed.
 */
export function asHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err instanceof InvalidInputError) return new InvalidEventError(err.message, err.issues);
  if (err instanceof SignatureError) {
    const header = { path: 'X-Signature', message: err.message };
    return err.reason === 'stale'
      ? new BadSignatureError(`stale signature, refused as a possible replay: ${err.message}`, [header])
      : new BadSignatureError(err.message, [header]);
  }
  if (err instanceof OrderOwnerChangedError) {
    return new ConflictError('order_owner_conflict', err.message, err.issues);
  }
  if (err instanceof EventIdConflictError) {
    const message = 'is already recorded for this order with other content; an eventId names one event';
    return new ConflictError('conflict', `eventId ${err.eventId} ${message}`, [{ path: 'eventId', message }]);
  }
  if (err instanceof OrderTooLargeError) {
    const message = 'the order, with every event recorded for it, is too large to record';
    return new InvalidEventError(message, [{ path: 'order', message }]);
  }
  if (err instanceof LedgerUnavailableError) {
    return new ServiceUnavailableError('ledger_unavailable', 'the event could not be recorded; retry later');
  }
  if (err instanceof ParameterStoreError) {
    return new ServiceUnavailableError(
      'parameter_store_unavailable',
      'the key to check the request could not be read; retry later',
    );
  }
  return undefined;
}
