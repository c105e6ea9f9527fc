import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError, type FieldIssue } from '../../lib/validation';
import {
  CashierKeyError,
  cashierSignContent,
  loadCashierPublicKey,
  parseCashierNotify,
  parseFormBody,
  signCashierFields,
  verifyCashierSignature,
} from '../../lib/events';

const fixture = (name: string): string => readFileSync(join(__dirname, '../fixtures/cashier', name), 'utf8');

const NOTIFY_FORM = fixture('notify.form');
const SIGN_CONTENT = fixture('sign-content.txt');
const RSA_SIGN = fixture('rsa-sign.base64');
const PUBLIC_KEY_PEM = fixture('public-key.pem');
const PUBLIC_KEY_BASE64 = fixture('public-key.base64');
const PRIVATE_KEY_PEM = fixture('private-key.pem');

const notifyFields = (): Record<string, string> => parseFormBody(NOTIFY_FORM);

function issuesOf(act: () => unknown): FieldIssue[] {
  try {
    act();
  } catch (err) {
    if (err instanceof InvalidInputError) return err.issues;
    throw err;
  }
  throw new Error('expected an InvalidInputError');
}

describe('parseFormBody', () => {
  it.each<[string, string, Record<string, string>]>([
    ['pairs', 'a=1&b=2', { a: '1', b: '2' }],
    ['+ as a space', 'a=x+y', { a: 'x y' }],
    ['an encoded +', 'a=%2B1', { a: '+1' }],
    ['an empty value', 'a=&b=2', { a: '', b: '2' }],
    ['a key without =', 'a&b=2', { a: '', b: '2' }],
    ['an empty body', '', {}],
    ['a trailing &', 'a=1&', { a: '1' }],
    ['= inside a value', 'a==b=', { a: '=b=' }],
    ['UTF-8', 'a=%E6%BB%A1%E5%87%8F', { a: '满减' }],
    ['an encoded key', 'k%20ey=v', { 'k ey': 'v' }],
  ])('decodes %s', (_name, raw, expected) => {
    expect(parseFormBody(raw)).toStrictEqual(expected);
  });

  it('keeps __proto__ as an ordinary field', () => {
    // Act
    const fields = parseFormBody('__proto__=x&a=1');
    // Assess
    expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });

  it.each<[string, string, FieldIssue[]]>([
    ['a duplicate key', 'a=1&b=2&a=1', [{ path: 'a', message: 'appears more than once' }]],
    ['a key three times, reported once', 'a=1&a=2&a=3', [{ path: 'a', message: 'appears more than once' }]],
    ['a bad escape', 'a=%ZZ', [{ path: 'a', message: 'malformed percent-encoding' }]],
    ['a lone %', 'payTime=100%', [{ path: 'payTime', message: 'malformed percent-encoding' }]],
    [
      'truncated UTF-8',
      'promoDetail=%E6%BB',
      [{ path: 'promoDetail', message: 'malformed percent-encoding' }],
    ],
    [
      'a bad escape in a key',
      'a%ZZ=1',
      [{ path: 'a%ZZ', message: 'malformed percent-encoding in the field name' }],
    ],
    ['a field without a name', 'a=1&=2', [{ path: '', message: 'field 2 has no name' }]],
    [
      'several faults at once',
      'a=%ZZ&b=1&b=2',
      [
        { path: 'a', message: 'malformed percent-encoding' },
        { path: 'b', message: 'appears more than once' },
      ],
    ],
  ])('rejects %s', (_name, raw, expected) => {
    expect(issuesOf(() => parseFormBody(raw))).toEqual(expected);
  });

  it('says which body is wrong in the error message', () => {
    expect(() => parseFormBody('a=1&a=2')).toThrow('invalid form body: a: appears more than once');
  });
});

describe('cashierSignContent', () => {
  it("builds exactly the fixture's signed bytes from its form body", () => {
    expect(cashierSignContent(notifyFields())).toBe(SIGN_CONTENT);
  });

  it('sorts keys by byte order, keeps empty values and leaves out rsaSign, sign and sign_type', () => {
    // Prepare
    const fields = { b: '1', a: '', B: '2', _: '3', rsaSign: 'x', sign: 'y', sign_type: 'RSA' };
    // Act / Assess
    expect(cashierSignContent(fields)).toBe('B=2&_=3&a=&b=1');
  });
});

describe('verifyCashierSignature', () => {
  let otherPublicKey: KeyObject;
  beforeAll(() => {
    otherPublicKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  });

  const wrapped = (base64: string): string => `\n  ${base64.match(/.{1,64}/g)!.join('\n')}  \n`;

  it.each<[string, () => string | KeyObject]>([
    ['PEM', () => PUBLIC_KEY_PEM],
    ['bare base64', () => PUBLIC_KEY_BASE64],
    ['bare base64 wrapped in lines and spaces', () => wrapped(PUBLIC_KEY_BASE64)],
    [
      'PEM with literal \\n escapes, as one configuration line',
      () => PUBLIC_KEY_PEM.trim().replace(/\n/g, '\\n'),
    ],
    ['a KeyObject', () => loadCashierPublicKey(PUBLIC_KEY_BASE64)],
  ])('accepts the fixture vector with the key as %s', (_name, key) => {
    expect(verifyCashierSignature(notifyFields(), key())).toBe(true);
  });

  it('reads the signature out of the form body unchanged', () => {
    expect(notifyFields().rsaSign).toBe(RSA_SIGN);
  });

  const promoDetailEncoded = NOTIFY_FORM.match(/promoDetail=([^&]*)/)![1];

  it.each<[string, (fields: Record<string, string>) => void]>([
    ['a changed amount', (f) => (f.totalMoney = '2391')],
    ['a changed order id', (f) => (f.tpOrderId = '2221554346521')],
    ['a dropped empty field', (f) => delete f.returnData],
    ['an added empty field', (f) => (f.extra = '')],
    ['promoDetail still percent-encoded', (f) => (f.promoDetail = promoDetailEncoded)],
    ['a trailing space on a value', (f) => (f.userId = '2484 ')],
    ['no rsaSign', (f) => delete f.rsaSign],
    ['an empty rsaSign', (f) => (f.rsaSign = '')],
    ['an rsaSign that is not base64', (f) => (f.rsaSign = 'not*base64!')],
    ['an rsaSign with a missing character', (f) => (f.rsaSign = f.rsaSign.slice(1))],
    ['an rsaSign of the right shape but wrong bytes', (f) => (f.rsaSign = `A${f.rsaSign.slice(1)}`)],
  ])('refuses %s', (_name, change) => {
    // Prepare
    const fields = notifyFields();
    change(fields);
    // Act / Assess
    expect(verifyCashierSignature(fields, PUBLIC_KEY_PEM)).toBe(false);
  });

  it('answers false, not a TypeError, for an rsaSign that is not a string', () => {
    const fields = { ...notifyFields(), rsaSign: [RSA_SIGN] } as unknown as Record<string, string>;
    expect(verifyCashierSignature(fields, PUBLIC_KEY_PEM)).toBe(false);
  });

  it('refuses the vector under another key', () => {
    expect(verifyCashierSignature(notifyFields(), otherPublicKey)).toBe(false);
  });

  it('ignores sign and sign_type, which the signature does not cover', () => {
    const fields = { ...notifyFields(), sign: 'anything', sign_type: 'RSA' };
    expect(verifyCashierSignature(fields, PUBLIC_KEY_PEM)).toBe(true);
  });

  it("reads a '+' that arrived unencoded (decoded to a space) as '+'", () => {
    // Prepare: the fixture's signature contains '+'
    expect(RSA_SIGN).toContain('+');
    const fields = { ...notifyFields(), rsaSign: RSA_SIGN.replace(/\+/g, ' ') };
    // Act / Assess
    expect(verifyCashierSignature(fields, PUBLIC_KEY_PEM)).toBe(true);
  });
});

describe('loadCashierPublicKey', () => {
  it('gives the same key from PEM and from bare base64', () => {
    const fromPem = loadCashierPublicKey(PUBLIC_KEY_PEM);
    const fromBase64 = loadCashierPublicKey(PUBLIC_KEY_BASE64);
    expect(fromPem.equals(fromBase64)).toBe(true);
    expect(fromPem.asymmetricKeyType).toBe('rsa');
  });

  it('reads a PKCS#1 key as well', () => {
    const pkcs1 = loadCashierPublicKey(PUBLIC_KEY_PEM)
      .export({ format: 'der', type: 'pkcs1' })
      .toString('base64');
    expect(verifyCashierSignature(notifyFields(), pkcs1)).toBe(true);
  });

  it.each<[string, () => string | KeyObject, string]>([
    ['empty', () => '  \n', 'cashier public key is empty'],
    ['neither PEM nor base64', () => 'not a key!', 'cashier public key is neither PEM nor base64'],
    [
      'base64 of something else',
      () => Buffer.from('hello world!').toString('base64'),
      'cashier public key is base64 but not an SPKI or PKCS#1 public key',
    ],
    [
      'PEM that does not parse',
      () => '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      'cashier public key is PEM but not a readable key',
    ],
    [
      'an EC key',
      () =>
        generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
          .publicKey.export({ format: 'pem', type: 'spki' })
          .toString(),
      'cashier public key is ec, not RSA',
    ],
    [
      'a secret KeyObject',
      () => createSecretKey(Buffer.alloc(32)),
      'cashier public key is a secret key, not an RSA public key',
    ],
  ])('refuses a key that is %s, with a named error', (_name, key, message) => {
    // Act
    const act = () => loadCashierPublicKey(key());
    // Assess
    expect(act).toThrow(CashierKeyError);
    expect(act).toThrow(message);
  });

  it('makes verification throw on an unusable key rather than answer false', () => {
    expect(() => verifyCashierSignature(notifyFields(), 'not a key!')).toThrow(CashierKeyError);
  });
});

describe('signCashierFields', () => {
  it("reproduces openssl's signature of the fixture", () => {
    // Prepare
    const { rsaSign: _unused, ...unsigned } = notifyFields();
    // Act / Assess
    expect(signCashierFields(unsigned, PRIVATE_KEY_PEM)).toBe(RSA_SIGN);
  });

  it('signs what verifyCashierSignature accepts', () => {
    const fields = { tpOrderId: 'o-1', orderId: '1', status: '-1', returnData: '' };
    const rsaSign = signCashierFields(fields, PRIVATE_KEY_PEM);
    expect(verifyCashierSignature({ ...fields, rsaSign }, PUBLIC_KEY_BASE64)).toBe(true);
  });
});

describe('parseCashierNotify', () => {
  const NOW = 1764400000;
  const now = () => NOW;

  it('turns the paid fixture into a paid fact', () => {
    expect(parseCashierNotify(notifyFields(), { now })).toStrictEqual({
      eventId: 'cashier:800020151:2',
      kind: 'paid',
      source: 'cashier',
      orderId: '2221554346520',
      occurredAt: 1764316800,
      payment: { paidAt: 1764316800, amount: 2390, cashierOrderId: '800020151' },
      cashier: {
        orderId: '800020151',
        userId: '2484',
        totalMoney: 2390,
        payMoney: 2290,
        dealId: '470193086',
        payTime: 1764316800,
        status: 2,
      },
    });
  });

  it('turns a cancellation into a closed fact at payTime', () => {
    expect(parseCashierNotify({ ...notifyFields(), status: '-1' }, { now })).toStrictEqual({
      eventId: 'cashier:800020151:-1',
      kind: 'closed',
      source: 'cashier',
      orderId: '2221554346520',
      occurredAt: 1764316800,
      reason: 'cashier: cancelled',
      cashier: {
        orderId: '800020151',
        userId: '2484',
        totalMoney: 2390,
        payMoney: 2290,
        dealId: '470193086',
        payTime: 1764316800,
        status: -1,
      },
    });
  });

  it.each([[''], ['0']])('dates a cancellation with payTime %j at now', (payTime) => {
    // Act
    const fact = parseCashierNotify({ ...notifyFields(), status: '-1', payTime }, { now });
    // Assess
    expect([fact.occurredAt, fact.cashier?.payTime]).toEqual([NOW, 0]);
  });

  it('gives a retried notify the same eventId, so the ledger sees a duplicate', () => {
    const first = parseCashierNotify(notifyFields(), { now: () => NOW });
    const retry = parseCashierNotify(notifyFields(), { now: () => NOW + 3600 });
    expect(retry).toStrictEqual(first);
  });

  const REQUIRED = 'is required';
  const FEN = 'must be an integer amount in fen (>= 0)';

  it.each<[string, string | undefined | string[], string]>([
    ['tpOrderId', undefined, REQUIRED],
    ['tpOrderId', '', REQUIRED],
    ['tpOrderId', '2221 554346520', 'must not contain whitespace'],
    ['tpOrderId', 'o'.repeat(65), 'must be at most 64 characters'],
    ['orderId', undefined, REQUIRED],
    ['orderId', '', REQUIRED],
    ['status', undefined, REQUIRED],
    ['status', '1', 'must be 2 (paid) or -1 (cancelled)'],
    ['status', ' 2', 'must be 2 (paid) or -1 (cancelled)'],
    ['totalMoney', undefined, REQUIRED],
    ['totalMoney', '23.90', FEN],
    ['totalMoney', '-1', FEN],
    ['totalMoney', '1234567890123456', FEN],
    ['totalMoney', ['2390', '2390'], 'must be a string'],
    ['payMoney', '', REQUIRED],
    ['payMoney', 'abc', FEN],
    ['payTime', undefined, REQUIRED],
    ['payTime', '', REQUIRED],
    ['payTime', '0', 'must be a Unix time in whole seconds (> 0)'],
    ['payTime', '2025-11-28', 'must be a Unix time in whole seconds (> 0)'],
    ['userId', undefined, REQUIRED],
    ['dealId', undefined, REQUIRED],
  ])('rejects a paid notify with %s %j', (field, value, message) => {
    // Prepare
    const fields = Object.fromEntries(
      Object.entries({ ...notifyFields(), [field]: value }).filter(([, v]) => v !== undefined),
    );
    // Act / Assess
    expect(issuesOf(() => parseCashierNotify(fields, { now }))).toEqual([{ path: field, message }]);
  });

  it('rejects a cancellation whose payTime is not a number', () => {
    const fields = { ...notifyFields(), status: '-1', payTime: 'soon' };
    expect(issuesOf(() => parseCashierNotify(fields, { now }))).toEqual([
      { path: 'payTime', message: 'must be a Unix time in whole seconds' },
    ]);
  });

  it('names every bad field at once and says it is the cashier notify', () => {
    // Prepare
    const fields: Record<string, string> = { ...notifyFields(), totalMoney: 'x', status: '3' };
    delete fields.tpOrderId;
    // Act
    const act = () => parseCashierNotify(fields, { now });
    // Assess
    expect(issuesOf(act)).toEqual(
      expect.arrayContaining([
        { path: 'tpOrderId', message: REQUIRED },
        { path: 'totalMoney', message: FEN },
        { path: 'status', message: 'must be 2 (paid) or -1 (cancelled)' },
      ]),
    );
    expect(act).toThrow(/^invalid cashier notify: /);
  });

  it('accepts an empty userId and dealId, which it only carries along', () => {
    const fact = parseCashierNotify({ ...notifyFields(), userId: '', dealId: '' }, { now });
    expect([fact.cashier?.userId, fact.cashier?.dealId]).toEqual(['', '']);
  });
});
