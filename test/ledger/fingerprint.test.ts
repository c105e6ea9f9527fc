import { createHash } from 'node:crypto';
import type { Fact } from '../../lib/events/types';
import { cashierQueryFact } from '../../lib/events/cashier-query';
import { canonicalJson, factFingerprint, legacyFactFingerprint } from '../../lib/ledger/fingerprint';
import { snapshot } from '../helpers/facts';

describe('canonicalJson', () => {
  it.each<[string, unknown, string]>([
    ['sorts keys at every depth', { b: 1, a: { d: [2], c: 'x' } }, '{"a":{"c":"x","d":[2]},"b":1}'],
    ['keeps array order', [3, 1, 2], '[3,1,2]'],
    ['drops undefined members, as JSON does', { a: undefined, b: null }, '{"b":null}'],
    ['writes undefined in an array as null, as JSON does', [undefined], '[null]'],
    ['escapes as JSON does', { 'k"': '丑\n' }, '{"k\\"":"丑\\n"}'],
    ['sorts by code unit, not by locale', { b: 1, B: 2, ä: 3 }, '{"B":2,"b":1,"ä":3}'],
    ['writes scalars as JSON', 12.5, '12.5'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('is the same text for the same JSON parsed from differently spelled bodies', () => {
    // Prepare
    const one = JSON.parse('{"a":1,"b":{"c":[1,2],"d":"x"}}') as unknown;
    const two = JSON.parse('{\n  "b" : { "d" : "x", "c" : [ 1, 2 ] },\n  "a" : 1\n}') as unknown;

    // Act & Assess
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });
});

describe('factFingerprint', () => {
  const merchant: Fact = {
    eventId: 'evt-1',
    kind: 'placed',
    source: 'merchant',
    orderId: 'o-1',
    occurredAt: 1764316800,
    order: snapshot(),
  };
  const cashier: Fact = {
    eventId: 'cashier:800:2',
    kind: 'paid',
    source: 'cashier',
    orderId: 'o-1',
    occurredAt: 1764316900,
    payment: { paidAt: 1764316900, amount: 2390, cashierOrderId: '800' },
    cashier: {
      orderId: '800',
      userId: 'u',
      totalMoney: 2390,
      payMoney: 2390,
      dealId: 'd',
      payTime: 1764316900,
      status: 2,
    },
  };
  const reversed = <T extends object>(value: T): T =>
    Object.fromEntries(Object.entries(value).reverse()) as T;

  it.each<[string, Fact, Fact, boolean]>([
    ['the same fact, keys in another order: equal', merchant, reversed(merchant), true],
    ['a deep copy: equal', merchant, structuredClone(merchant), true],
    ['another occurredAt from a merchant: different', merchant, { ...merchant, occurredAt: 1 }, false],
    ['another snapshot title: different', merchant, { ...merchant, order: snapshot({ title: 't' }) }, false],
    ['another kind: different', merchant, { ...merchant, kind: 'shipped' }, false],
    // a cashier cancel without payTime gets the time it was received as occurredAt: not content
    ['another occurredAt from the cashier: equal', cashier, { ...cashier, occurredAt: 1764317000 }, true],
    [
      'another cashier totalMoney: different',
      cashier,
      { ...cashier, cashier: { ...cashier.cashier!, totalMoney: 2391 } },
      false,
    ],
    [
      'the same payment with another payTime: equal (the query tells none)',
      cashier,
      {
        ...cashier,
        payment: { ...cashier.payment!, paidAt: 1 },
        cashier: { ...cashier.cashier!, payTime: 1 },
      },
      true,
    ],
    [
      "the cashier query's fact of that payment: equal, so a later notify is its duplicate (CONTRACT 5c)",
      cashier,
      cashierQueryFact(
        { tpOrderId: 'o-1', orderId: '800', totalMoney: 2390, payMoney: 2390, userId: 'u', dealId: 'd' },
        1764399999,
      ),
      true,
    ],
    [
      "the query's fact of another amount: different",
      cashier,
      cashierQueryFact(
        { tpOrderId: 'o-1', orderId: '800', totalMoney: 1, payMoney: 1, userId: 'u', dealId: 'd' },
        1764399999,
      ),
      false,
    ],
  ])('%s', (_name, a, b, equal) => {
    expect(factFingerprint(a) === factFingerprint(b)).toBe(equal);
  });

  it("keeps the release before's fingerprint of a cashier fact, so its retries stay duplicates", () => {
    // Prepare: what that release stored (times included), and a merchant fact (never had another)
    const { occurredAt: _o, ...rest } = cashier;
    const stored = createHash('sha256').update(canonicalJson(rest)).digest('base64url');

    // Act & Assess
    expect(legacyFactFingerprint(cashier)).toBe(stored);
    expect(factFingerprint(cashier)).not.toBe(stored);
    expect(legacyFactFingerprint(merchant)).toBeUndefined();
  });

  it('is a sha256 in base64url', () => {
    expect(factFingerprint(merchant)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
