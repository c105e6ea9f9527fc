import type { FieldIssue } from '../validation';
import type { OrderCenterCall, ReplyItem } from './types';

/**
 * What the sync engine does about a failure decides its class:
 * transient -> retry later with backoff; token -> refetch the token, retry once;
 * not found -> Baidu lacks the order or after-sale item: resend it whole; permanent -> stop, a person looks;
 * quota -> Baidu's call quota is spent: no retry now, the order waits minutes;
 * unknown -> a code Baidu does not document: retried a few times on the order's schedule, then failed.
 */
export type FailureKind = 'transient' | 'token' | 'not-found' | 'permanent' | 'quota' | 'unknown';

export interface FailureDetail {
  call: OrderCenterCall;
  attempts: number;
  httpStatus?: number;
  errno?: number;
  errorCode?: number;
}

export abstract class OrderCenterError extends Error {
  abstract readonly kind: FailureKind;
  readonly call: OrderCenterCall;
  readonly attempts: number;
  readonly httpStatus?: number;
  readonly errno?: number;
  readonly errorCode?: number;

  constructor(message: string, detail: FailureDetail) {
    super(`${detail.call}: ${message}`);
    this.call = detail.call;
    this.attempts = detail.attempts;
    this.httpStatus = detail.httpStatus;
    this.errno = detail.errno;
    this.errorCode = detail.errorCode;
  }
}

/** Network failure, timeout, HTTP 5xx, or Baidu busy: the same call may succeed later. */
export class TransientOrderCenterError extends OrderCenterError {
  override readonly name = 'TransientOrderCenterError';
  readonly kind = 'transient';
}

/** Baidu rejected the access token (invalid or expired) even after one refetch. */
export class TokenRejectedError extends OrderCenterError {
  override readonly name = 'TokenRejectedError';
  readonly kind = 'token';
}

/** errno 0 but rows_affected "0": the order (or after-sale item) is not in the Order Center. */
export class OrderNotFoundError extends OrderCenterError {
  override readonly name = 'OrderNotFoundError';
  readonly kind = 'not-found';
  constructor(
    message: string,
    detail: FailureDetail,
    readonly items: ReplyItem[],
  ) {
    super(message, detail);
  }
}

/** Baidu refused the request itself (parameter invalid, no permission...): retrying the same body cannot help. */
export class PermanentOrderCenterError extends OrderCenterError {
  override readonly name = 'PermanentOrderCenterError';
  readonly kind = 'permanent';
}

/** Call quota exceeded (errno 50029, error_code 17 daily or 18 per second): back off for minutes, never at once. */
export class QuotaExceededError extends OrderCenterError {
  override readonly name = 'QuotaExceededError';
  readonly kind = 'quota';
}

/** An errno or error_code Baidu does not document: not proof of a bad body, so retried a few times. */
export class UnknownReplyError extends OrderCenterError {
  override readonly name = 'UnknownReplyError';
  readonly kind = 'unknown';
}

/** Our own schema rejected the body: it was never sent. */
export class RejectedBodyError extends OrderCenterError {
  override readonly name = 'RejectedBodyError';
  readonly kind = 'permanent';
  constructor(
    detail: FailureDetail,
    readonly issues: FieldIssue[],
  ) {
    super(`body rejected before sending: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, detail);
  }
}
