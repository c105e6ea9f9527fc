import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cashierSignContent,
  parseFormBody,
  parseMerchantEvent,
  parseRefundAudit,
  parseRefundResult,
  refundAuditEventId,
  verifyCashierSignature,
} from '../../lib/events';
import { InvalidInputError } from '../../lib/validation';

// Baidu's refund callbacks (CONTRACT section 5b): openssl-made vectors (test/fixtures/cashier/README.md)
// verified by the payment notify's own verifier, then parsed.

const fixture = (name: string): string => readFileSync(join(__dirname, '../fixtures/cashier', name), 'utf8');
const PUBLIC_KEY = fixture('public-key.base64');

describe.each([
  ['refund audit', 'refund-audit'],
  ['refund result', 'refund-notify'],
])('the %s vector', (_name, file) => {
  const fields = parseFormBody(fixture(`${file}.form`));

  it("builds exactly the vector's signed bytes from its form body", () => {
    expect(cashierSignContent(fields)).toBe(fixture(`${file}.sign-content.txt`));
  });

  it('verifies with the platform public key, and not once a field changes', () => {
    expect(verifyCashierSignature(fields, PUBLIC_KEY)).toBe(true);
    expect(verifyCashierSignature({ ...fields, tpOrderId: '2221554346521' }, PUBLIC_KEY)).toBe(false);
  });
});

describe('parseRefundAudit', () => {
  const valid = parseFormBody(fixture('refund-audit.form'));

  it("reads the vector: our orderId from tpOrderId, Baidu's question beside it", () => {
    expect(parseRefundAudit(valid)).toEqual({
      orderId: '2221554346520',
      asked: { orderId: '800020151', userId: '2484', refundBatchId: '152713835', applyRefundMoney: 2390 },
    });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
  ])('takes an applyRefundMoney %s as not given (older callers)', (_case, value) => {
    const { applyRefundMoney: _dropped, ...rest } = valid;
    const fields = value === undefined ? rest : { ...rest, applyRefundMoney: value };
    expect(parseRefundAudit(fields).asked).not.toHaveProperty('applyRefundMoney');
  });

  it.each([
    ['tpOrderId', { tpOrderId: undefined }],
    ['tpOrderId', { tpOrderId: 'has space' }],
    ['refundBatchId', { refundBatchId: '' }],
    ['refundBatchId', { refundBatchId: 'x'.repeat(65) }],
    ['orderId', { orderId: undefined }],
    ['userId', { userId: undefined }],
    ['applyRefundMoney', { applyRefundMoney: '-1' }],
    ['applyRefundMoney', { applyRefundMoney: '12.5' }],
    ['applyRefundMoney', { applyRefundMoney: '1'.repeat(16) }],
  ])('refuses a bad %s, naming it', (path, change) => {
    const fields = Object.fromEntries(
      Object.entries({ ...valid, ...change }).filter(([, value]) => value !== undefined),
    );
    expect(() => parseRefundAudit(fields)).toThrow(InvalidInputError);
    try {
      parseRefundAudit(fields);
    } catch (err) {
      expect((err as InvalidInputError).issues.map((issue) => issue.path)).toContain(path);
    }
  });

  it('refuses a refund result replayed to the audit route (it carries refundStatus), naming refundStatus', () => {
    const result = parseFormBody(fixture('refund-notify.form'));
    expect(() => parseRefundAudit(result)).toThrow(/refundStatus: belongs to the refund result/);
  });

  it('keys a decided answer by refundBatchId alone, and the undecided one apart from it', () => {
    expect(refundAuditEventId('152713835', true)).toBe('cashier:refund-audit:152713835');
    expect(refundAuditEventId('152713835', false)).toBe('cashier:refund-audit:152713835:undecided');
  });
});

describe('parseRefundResult', () => {
  const valid = parseFormBody(fixture('refund-notify.form'));

  it('reads the vector into a refund-result fact in the cashier namespace, dated when it came', () => {
    expect(parseRefundResult(valid, { now: () => 1764400000 })).toEqual({
      eventId: 'cashier:refund-result:152713835:1',
      kind: 'refund-result',
      source: 'cashier',
      orderId: '2221554346520',
      occurredAt: 1764400000,
      cashierRefund: { orderId: '800020151', userId: '2484', refundBatchId: '152713835', refundStatus: 1 },
    });
  });

  it('reads refundStatus 2 as failed, under its own eventId', () => {
    const fact = parseRefundResult({ ...valid, refundStatus: '2' }, { now: () => 1 });
    expect(fact.cashierRefund?.refundStatus).toBe(2);
    expect(fact.eventId).toBe('cashier:refund-result:152713835:2');
  });

  it.each([['0'], ['3'], [''], ['1 ']])('refuses refundStatus %j, naming it', (refundStatus) => {
    expect(() => parseRefundResult({ ...valid, refundStatus })).toThrow(/refundStatus/);
  });

  it('refuses a missing refundBatchId, naming it', () => {
    const { refundBatchId: _dropped, ...rest } = valid;
    expect(() => parseRefundResult(rest)).toThrow(/refundBatchId/);
  });
});

describe("a merchant refund naming Baidu's refundBatchId", () => {
  const event = (baiduRefundBatchId: unknown) => ({
    eventId: 'evt-1',
    occurredAt: 1764316800,
    orderId: '2221554346520',
    refund: { id: 'R1', status: 'processing', baiduRefundBatchId },
  });

  it('keeps it on the fact, so a refund result can find its after-sale order', () => {
    const fact = parseMerchantEvent('refund-updated', event('152713835'), { now: () => 1764400000 });
    expect(fact.refund).toEqual({ id: 'R1', status: 'processing', baiduRefundBatchId: '152713835' });
  });

  it.each([[''], [42], [null], ['has space'], ['x'.repeat(65)]])('refuses %j, naming it', (value) => {
    expect(() => parseMerchantEvent('refund-updated', event(value), { now: () => 1764400000 })).toThrow(
      /refund\.baiduRefundBatchId/,
    );
  });
});
