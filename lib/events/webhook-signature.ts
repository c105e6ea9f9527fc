import { createHmac, timingSafeEqual } from 'node:crypto';
import { unixNow, type UnixClock } from './clock';

// Merchant event signature (docs/contract.md section 6):
// X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=<another, during key rotation>]

export type SignatureFailure = 'missing' | 'malformed' | 'stale' | 'mismatch';

/** A merchant event whose signature does not hold. Its message never carries the secret or the expected value. */
export class SignatureError extends Error {
  override readonly name = 'SignatureError';
  constructor(
    readonly reason: SignatureFailure,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface VerifyWebhookOptions {
  /** The current time in Unix seconds. */
  now?: UnixClock;
  /** How far t may be from now, either way. */
  toleranceSeconds?: number;
}

const TIMESTAMP = /^\d{1,12}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

interface ParsedHeader {
  /** t exactly as sent: the signed string is built from it, not from a re-formatted number */
  t: string;
  signatures: Buffer[];
}

function parseHeader(header: string): ParsedHeader {
  let t: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new SignatureError('malformed', 'X-Signature has a part that is not key=value');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (t !== undefined) throw new SignatureError('malformed', 'X-Signature has more than one t');
      if (!TIMESTAMP.test(value)) throw new SignatureError('malformed', 'X-Signature t is not Unix seconds');
      t = value;
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) {
        throw new SignatureError('malformed', 'X-Signature v1 is not a hex HMAC-SHA256 (64 hex digits)');
      }
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (v0, a future v2) are ignored, so a sender can add one before we read it.
  }
  if (t === undefined) throw new SignatureError('malformed', 'X-Signature has no t');
  if (signatures.length === 0) throw new SignatureError('malformed', 'X-Signature has no v1');
  return { t, signatures };
}

const hmac = (t: string, rawBody: string | Buffer, secret: string): Buffer =>
  createHmac('sha256', secret)
    .update(`${t}.`)
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody)
    .digest();

/** Constant time for equal lengths; unequal lengths differ in public information only. */
const sameBytes = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

function requireSecret(secret: string): void {
  if (secret === '') throw new RangeError('webhook secret is empty');
}

/**
 * Checks X-Signature against the raw body. Throws SignatureError: 'missing', 'malformed', 'mismatch'
 * (no v1 matches), or 'stale' (a genuine signature, but t is more than the tolerance from now: a replay).
 */
export function verifyWebhookSignature(
  header: string | undefined,
  rawBody: string | Buffer,
  secret: string,
  opts: VerifyWebhookOptions = {},
): void {
  requireSecret(secret);
  if (header === undefined || header.trim() === '') {
    throw new SignatureError('missing', 'X-Signature header is missing');
  }
  const { t, signatures } = parseHeader(header);
  const expected = hmac(t, rawBody, secret);
  // Compare against every candidate so the time taken does not say which one matched.
  const matches = signatures.map((candidate) => sameBytes(candidate, expected));
  if (!matches.includes(true)) throw new SignatureError('mismatch', 'X-Signature does not match the body');
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const skew = Number(t) - (opts.now ?? unixNow)();
  if (Math.abs(skew) > tolerance) {
    throw new SignatureError(
      'stale',
      `X-Signature t is ${Math.abs(skew)} s ${skew < 0 ? 'behind' : 'ahead of'} now, more than the ${tolerance} s allowed`,
    );
  }
}

/** The X-Signature value for a body, as a merchant backend (or a test) sends it. */
export function signWebhook(rawBody: string | Buffer, secret: string, t: number): string {
  requireSecret(secret);
  if (!Number.isSafeInteger(t) || t < 0)
    throw new RangeError('t must be Unix seconds (a non-negative integer)');
  return `t=${t},v1=${hmac(String(t), rawBody, secret).toString('hex')}`;
}
