import {
  SignatureError,
  signWebhook,
  verifyWebhookSignature,
  type SignatureFailure,
  type VerifyWebhookOptions,
} from '../../lib/events';

const SECRET = 'whsec-test-0123456789';
const OLD_SECRET = 'whsec-test-retired-9876543210';
const BODY = '{"eventId":"evt-1","orderId":"2221554346520"}';
const T = 1764316800;
/** `printf '%s' '1764316800.<BODY>' | openssl dgst -sha256 -hmac 'whsec-test-0123456789'` */
const OPENSSL_HMAC = 'ffc19e9c260080135df9f82c435f71425c8312199b1a281ff67d4c55f5b28ad9';
const at =
  (seconds: number): VerifyWebhookOptions['now'] =>
  () =>
    seconds;

function failure(act: () => void): SignatureError {
  try {
    act();
  } catch (err) {
    if (err instanceof SignatureError) return err;
    throw err;
  }
  throw new Error('expected a SignatureError');
}

describe('signWebhook', () => {
  it('produces the header value with the HMAC openssl computes', () => {
    expect(signWebhook(BODY, SECRET, T)).toBe(`t=${T},v1=${OPENSSL_HMAC}`);
  });

  it('signs a Buffer body the same as its string', () => {
    expect(signWebhook(Buffer.from(BODY), SECRET, T)).toBe(signWebhook(BODY, SECRET, T));
  });

  it.each([[-1], [1.5], [Number.NaN]])('refuses t = %p', (t) => {
    expect(() => signWebhook(BODY, SECRET, t)).toThrow(RangeError);
  });
});

describe('verifyWebhookSignature accepts', () => {
  it.each<[string, string | undefined, string | Buffer, number, number | undefined]>([
    ['a valid signature', `t=${T},v1=${OPENSSL_HMAC}`, BODY, T, undefined],
    ['a Buffer body', `t=${T},v1=${OPENSSL_HMAC}`, Buffer.from(BODY), T, undefined],
    ['t 300 s behind now', `t=${T},v1=${OPENSSL_HMAC}`, BODY, T + 300, undefined],
    ['t 300 s ahead of now', `t=${T},v1=${OPENSSL_HMAC}`, BODY, T - 300, undefined],
    ['t within a wider tolerance', `t=${T},v1=${OPENSSL_HMAC}`, BODY, T + 900, 900],
    ['spaces around the parts', ` t=${T} , v1=${OPENSSL_HMAC} `, BODY, T, undefined],
    ['upper-case hex', `t=${T},v1=${OPENSSL_HMAC.toUpperCase()}`, BODY, T, undefined],
    ['an unknown scheme beside v1', `t=${T},v0=abc,v1=${OPENSSL_HMAC}`, BODY, T, undefined],
  ])('%s', (_name, header, body, now, toleranceSeconds) => {
    expect(() =>
      verifyWebhookSignature(header, body, SECRET, { now: at(now), toleranceSeconds }),
    ).not.toThrow();
  });

  it.each<[string, (oldV1: string, newV1: string) => string]>([
    ['old then new', (oldV1, newV1) => `t=${T},v1=${oldV1},v1=${newV1}`],
    ['new then old', (oldV1, newV1) => `t=${T},v1=${newV1},v1=${oldV1}`],
  ])('a header signed under both keys during rotation (%s)', (_name, header) => {
    // Prepare
    const v1 = (secret: string) => signWebhook(BODY, secret, T).split('v1=')[1];
    const value = header(v1(OLD_SECRET), v1(SECRET));
    // Act / Assess
    expect(() => verifyWebhookSignature(value, BODY, SECRET, { now: at(T) })).not.toThrow();
    expect(() => verifyWebhookSignature(value, BODY, OLD_SECRET, { now: at(T) })).not.toThrow();
  });
});

describe('verifyWebhookSignature rejects', () => {
  const valid = `t=${T},v1=${OPENSSL_HMAC}`;
  const oneByteOff = BODY.replace('evt-1', 'evt-2');

  it.each<[string, string | undefined, string | Buffer, string, number, SignatureFailure]>([
    ['no header', undefined, BODY, SECRET, T, 'missing'],
    ['an empty header', '', BODY, SECRET, T, 'missing'],
    ['a blank header', '   ', BODY, SECRET, T, 'missing'],
    ['a header that is not key=value', 'sha256 abc', BODY, SECRET, T, 'malformed'],
    ['no t', `v1=${OPENSSL_HMAC}`, BODY, SECRET, T, 'malformed'],
    ['no v1', `t=${T}`, BODY, SECRET, T, 'malformed'],
    ['two t', `t=${T},t=${T},v1=${OPENSSL_HMAC}`, BODY, SECRET, T, 'malformed'],
    ['t in milliseconds-like junk', `t=${T}.5,v1=${OPENSSL_HMAC}`, BODY, SECRET, T, 'malformed'],
    ['a negative t', `t=-${T},v1=${OPENSSL_HMAC}`, BODY, SECRET, T, 'malformed'],
    ['an ISO t', `t=2025-11-28T08:00:00Z,v1=${OPENSSL_HMAC}`, BODY, SECRET, T, 'malformed'],
    ['a short v1', `t=${T},v1=${OPENSSL_HMAC.slice(1)}`, BODY, SECRET, T, 'malformed'],
    ['a non-hex v1', `t=${T},v1=${'z'.repeat(64)}`, BODY, SECRET, T, 'malformed'],
    [
      'a base64 v1',
      `t=${T},v1=${Buffer.from(OPENSSL_HMAC, 'hex').toString('base64')}`,
      BODY,
      SECRET,
      T,
      'malformed',
    ],
    ['t 301 s behind now', valid, BODY, SECRET, T + 301, 'stale'],
    ['t 301 s ahead of now', valid, BODY, SECRET, T - 301, 'stale'],
    ['another secret', valid, BODY, 'whsec-test-other', T, 'mismatch'],
    ['the body changed by one byte', valid, oneByteOff, SECRET, T, 'mismatch'],
    ['a body with a trailing newline', valid, `${BODY}\n`, SECRET, T, 'mismatch'],
    ['t changed under the same v1', `t=${T + 1},v1=${OPENSSL_HMAC}`, BODY, SECRET, T, 'mismatch'],
    [
      'only the retired key',
      `t=${T},v1=${signWebhook(BODY, OLD_SECRET, T).split('v1=')[1]}`,
      BODY,
      SECRET,
      T,
      'mismatch',
    ],
    [
      'a stale header with a wrong signature',
      `t=${T - 3600},v1=${OPENSSL_HMAC}`,
      BODY,
      SECRET,
      T,
      'mismatch',
    ],
  ])('%s', (_name, header, body, secret, now, reason) => {
    // Act
    const err = failure(() => verifyWebhookSignature(header, body, secret, { now: at(now) }));
    // Assess
    expect(err.reason).toBe(reason);
    expect(err.name).toBe('SignatureError');
    const expectedV1 = signWebhook(body, secret, T).split('v1=')[1];
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain(expectedV1);
  });

  it('says how far off a stale t is', () => {
    const err = failure(() => verifyWebhookSignature(valid, BODY, SECRET, { now: at(T + 301) }));
    expect(err.message).toBe('X-Signature t is 301 s behind now, more than the 300 s allowed');
  });

  it('uses the real clock when none is injected', () => {
    expect(failure(() => verifyWebhookSignature(valid, BODY, SECRET)).reason).toBe('stale');
    const fresh = signWebhook(BODY, SECRET, Math.floor(Date.now() / 1000));
    expect(() => verifyWebhookSignature(fresh, BODY, SECRET)).not.toThrow();
  });

  it('refuses to verify with an empty secret', () => {
    expect(() => verifyWebhookSignature(signWebhook(BODY, 'x', T), BODY, '', { now: at(T) })).toThrow(
      RangeError,
    );
  });
});
