import type { CashierRefund, Fact, RefundAuditPolicy } from '../../lib/events';
import { refundAuditFact } from '../../lib/events';
import {
  decideRefundAudit,
  operatorAnswer,
  refundPosition,
  type RefundPosition,
} from '../../lib/refund-audit';
import { fact, snapshot } from '../helpers/facts';

// The refund audit's answer (CONTRACT section 5b) is a pure function of the order's refund position, what
// Baidu asked and the policy: tables of cases, no I/O.

const BATCH = 'rb-1';
const ask = (applyRefundMoney?: number, refundBatchId = BATCH): CashierRefund => ({
  orderId: 'cash-1',
  userId: '2484',
  refundBatchId,
  ...(applyRefundMoney === undefined ? {} : { applyRefundMoney }),
});

const paid = (
  open: { id: string; amount: number; refundBatchId?: string }[] = [],
  committed = 0,
): RefundPosition => ({
  known: true,
  ready: true,
  paid: 2390,
  committed,
  open,
});
const UNKNOWN: RefundPosition = { known: false };
const NO_SNAPSHOT: RefundPosition = {
  known: true,
  ready: false,
  why: "the order's snapshot has not come yet",
};
const UNPAID: RefundPosition = { known: true, ready: true, paid: 0, committed: 0, open: [] };
const R1 = { id: 'R1', amount: 2390 };
const R2 = { id: 'R2', amount: 1000 };

type Case = [
  label: string,
  position: RefundPosition,
  asked: CashierRefund,
  expected: [number, number, string?],
];

const EVERY_POLICY: Case[] = [
  ['an order unknown to the ledger', UNKNOWN, ask(2390), [2, 0]],
  ['an unpaid order', UNPAID, ask(2390), [2, 0]],
  ['an amount over the refundable rest', paid([R1]), ask(2391), [2, 0]],
  ['an amount over what is left once refunds are counted', paid([R2], 2000), ask(1000), [2, 0]],
  ['an amount of 0', paid([R1]), ask(0), [2, 0]],
  ['an order whose snapshot has not come', NO_SNAPSHOT, ask(2390), [3, 0]],
];

const TABLE: Record<RefundAuditPolicy, Case[]> = {
  match: [
    ...EVERY_POLICY,
    ["an audit before the merchant's refund event (no open refund)", paid(), ask(2390), [3, 0]],
    ['an open refund of another amount', paid([R2]), ask(2390), [3, 0]],
    ['an open refund of exactly that amount', paid([R2, R1]), ask(2390), [1, 2390, 'R1']],
    [
      'the matching refund linked to another batch',
      paid([{ ...R1, refundBatchId: 'rb-0' }]),
      ask(2390),
      [3, 0],
    ],
    [
      'the matching refund linked to this batch',
      paid([{ ...R1, refundBatchId: BATCH }]),
      ask(2390),
      [1, 2390, 'R1'],
    ],
    ['no applyRefundMoney and one open refund', paid([R2]), ask(), [1, 1000, 'R2']],
    ['no applyRefundMoney and two open refunds', paid([R1, R2]), ask(), [3, 0]],
    [
      'an exact match within the rest left by an earlier refund',
      paid([R2], 1390),
      ask(1000),
      [1, 1000, 'R2'],
    ],
  ],
  approve: [
    ...EVERY_POLICY,
    ['any amount within the rest, no merchant refund', paid(), ask(2000), [1, 2000]],
    ['an amount matching an open refund (linked to it)', paid([R2]), ask(1000), [1, 1000, 'R2']],
    ['the whole rest', paid([], 390), ask(2000), [1, 2000]],
    ['no applyRefundMoney and one open refund', paid([R2]), ask(), [1, 1000, 'R2']],
    ['no applyRefundMoney and no open refund', paid(), ask(), [3, 0]],
  ],
  manual: [
    ...EVERY_POLICY,
    ['an open refund of exactly that amount', paid([R1]), ask(2390), [3, 0]],
    ['no merchant refund', paid(), ask(100), [3, 0]],
  ],
};

describe.each(Object.keys(TABLE) as RefundAuditPolicy[])('decideRefundAudit, policy %s', (policy) => {
  it.each(TABLE[policy])('%s', (_label, position, asked, [auditStatus, refundPayMoney, refundId]) => {
    // Act
    const answer = decideRefundAudit(policy, position, asked);

    // Assess
    expect(answer).toMatchObject({ auditStatus, refundPayMoney, policy, decidedBy: 'policy' });
    expect(answer.refundId).toBe(refundId);
    expect(answer.reason.length).toBeGreaterThan(0);
  });
});

describe('operatorAnswer', () => {
  it.each([
    ['a rejection, whatever the order', UNKNOWN, ask(2390), 'reject' as const, [2, 0]],
    ['an approval within the rest', paid([R1]), ask(2390), 'approve' as const, [1, 2390, 'R1']],
    ['an approval of an amount no refund matches', paid(), ask(500), 'approve' as const, [1, 500]],
  ])('gives %s', (_label, position, asked, decision, [auditStatus, refundPayMoney, refundId]) => {
    // Act
    const answer = operatorAnswer('manual', position, asked, decision);

    // Assess
    expect(answer).toMatchObject({ auditStatus, refundPayMoney, decidedBy: 'operator' });
    expect('refundId' in answer ? answer.refundId : undefined).toBe(refundId);
  });

  it.each([
    ['over the refundable rest', paid([R1]), ask(2391), /exceeds the refundable rest/],
    ['of an order unknown to the ledger', UNKNOWN, ask(10), /unknown/],
    ['of an unpaid order', UNPAID, ask(10), /not paid/],
    ['with no amount and no single open refund', paid(), ask(), /exactly one open refund/],
  ])('refuses an approval %s', (_label, position, asked, why) => {
    // Act
    const answer = operatorAnswer('manual', position, asked, 'approve');

    // Assess
    expect(answer).toEqual({ refused: expect.stringMatching(why) });
  });
});

describe('refundPosition: from the facts', () => {
  const orderId = 'o-1';
  const placed = fact({ orderId, kind: 'placed', order: snapshot(), occurredAt: 100 });
  const payment = fact({ orderId, kind: 'paid', payment: { paidAt: 200 }, occurredAt: 200 });
  const requested = (id: string, amount: number, occurredAt: number, baiduRefundBatchId?: string): Fact =>
    fact({
      orderId,
      kind: 'refund-requested',
      occurredAt,
      refund: {
        id,
        type: 'refund-only',
        status: 'requested',
        amount,
        items: [{ id: '1014093064', quantity: 1, amount }],
        ...(baiduRefundBatchId === undefined ? {} : { baiduRefundBatchId }),
      },
    });
  const approved = (refundBatchId: string, money: number, refundId?: string): Fact =>
    refundAuditFact(
      { orderId, asked: ask(money, refundBatchId) },
      {
        auditStatus: 1,
        refundPayMoney: money,
        reason: 'test',
        policy: 'match',
        decidedBy: 'policy',
        ...(refundId === undefined ? {} : { refundId }),
      },
      300,
    );
  const result = (refundBatchId: string, refundStatus: 1 | 2, occurredAt = 400): Fact => ({
    eventId: `cashier:refund-result:${refundBatchId}:${refundStatus}`,
    kind: 'refund-result',
    source: 'cashier',
    orderId,
    occurredAt,
    cashierRefund: { orderId: 'cash-1', userId: '1', refundBatchId, refundStatus },
  });

  it.each<[string, Fact[] | undefined, RefundPosition]>([
    ['no item: unknown', undefined, { known: false }],
    ['no snapshot: not ready', [payment], { known: true, ready: false, why: expect.any(String) as string }],
    ['placed only: unpaid', [placed], { known: true, ready: true, paid: 0, committed: 0, open: [] }],
    ['paid, no refund', [placed, payment], { known: true, ready: true, paid: 2390, committed: 0, open: [] }],
    [
      'a refund requested: open',
      [placed, payment, requested('R1', 1000, 250)],
      { known: true, ready: true, paid: 2390, committed: 0, open: [{ id: 'R1', amount: 1000 }] },
    ],
    [
      'a merchant refund naming its batch: open and linked',
      [placed, payment, requested('R1', 1000, 250, 'rb-9')],
      {
        known: true,
        ready: true,
        paid: 2390,
        committed: 0,
        open: [{ id: 'R1', amount: 1000, refundBatchId: 'rb-9' }],
      },
    ],
    [
      'approved and linked: committed, still open until the result',
      [placed, payment, requested('R1', 1000, 250), approved('rb-1', 1000, 'R1')],
      {
        known: true,
        ready: true,
        paid: 2390,
        committed: 1000,
        open: [{ id: 'R1', amount: 1000, refundBatchId: 'rb-1' }],
      },
    ],
    [
      'approved, then refunded by the result: counted once',
      [placed, payment, requested('R1', 1000, 250), approved('rb-1', 1000, 'R1'), result('rb-1', 1)],
      { known: true, ready: true, paid: 2390, committed: 1000, open: [] },
    ],
    [
      'approved, then failed: nothing committed',
      [placed, payment, requested('R1', 1000, 250), approved('rb-1', 1000, 'R1'), result('rb-1', 2)],
      {
        known: true,
        ready: true,
        paid: 2390,
        committed: 0,
        open: [{ id: 'R1', amount: 1000, refundBatchId: 'rb-1' }],
      },
    ],
    [
      'approved with no refund to link (policy approve): committed',
      [placed, payment, approved('rb-1', 500)],
      { known: true, ready: true, paid: 2390, committed: 500, open: [] },
    ],
  ])('%s', (_label, facts, expected) => {
    // Act & Assess
    expect(refundPosition(orderId, facts, 'app')).toEqual(expected);
  });

  it("decides an audit undecided before the merchant's refund event and approved after it", () => {
    // Prepare
    const before = refundPosition(orderId, [placed, payment], 'app');
    const after = refundPosition(orderId, [placed, payment, requested('R1', 2390, 250)], 'app');

    // Act & Assess
    expect(decideRefundAudit('match', before, ask(2390)).auditStatus).toBe(3);
    expect(decideRefundAudit('match', after, ask(2390))).toMatchObject({ auditStatus: 1, refundId: 'R1' });
  });
});
