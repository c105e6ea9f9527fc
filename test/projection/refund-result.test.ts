import type { Fact, RefundAuditAnswer } from '../../lib/events/types';
import { fact, placed, refundRequested, refundUpdated, viewOf } from './builders';

// Baidu's refund result moves the after-sale order its refundBatchId is linked to (CONTRACT section 5b);
// an audit answer changes nothing the Order Center shows.

const audit = (refundBatchId: string, answer: Partial<RefundAuditAnswer>, occurredAt = 300): Fact =>
  fact('refund-audit', occurredAt, {
    eventId: `cashier:refund-audit:${refundBatchId}`,
    source: 'cashier',
    cashierRefund: { orderId: 'c-1', userId: 'u', refundBatchId, applyRefundMoney: 500 },
    audit: {
      auditStatus: 1,
      refundPayMoney: 500,
      reason: 'test',
      policy: 'match',
      decidedBy: 'policy',
      ...answer,
    },
  });

const result = (refundBatchId: string, refundStatus: 1 | 2, occurredAt = 400): Fact =>
  fact('refund-result', occurredAt, {
    eventId: `cashier:refund-result:${refundBatchId}:${refundStatus}`,
    source: 'cashier',
    cashierRefund: { orderId: 'c-1', userId: 'u', refundBatchId, refundStatus },
  });

const paid = fact('paid', 150, { payment: { paidAt: 150 } });
const base = [placed(100), paid, refundRequested(200)];

const subs = (facts: Fact[]) =>
  viewOf(facts).data.EXT.SubsOrder?.Items.map((item) => [item.SubOrderID, item.SubStatus]);
const codes = (facts: Fact[]) => viewOf(facts).anomalies.map((anomaly) => anomaly.code);

describe('a refund result from Baidu', () => {
  it.each<[string, Fact[], [string, number][], string[]]>([
    [
      'succeeded, linked by an approved audit: refunded',
      [...base, audit('b1', { refundId: 'R1' }), result('b1', 1)],
      [['R1', 402]],
      [],
    ],
    [
      'succeeded, linked by the merchant (baiduRefundBatchId): refunded',
      [placed(100), paid, refundRequested(200, { baiduRefundBatchId: 'b1' }), result('b1', 1)],
      [['R1', 402]],
      [],
    ],
    [
      'succeeded before the merchant asked for the refund (earlier occurredAt): refunded all the same',
      [placed(100), paid, result('b1', 1, 180), refundRequested(200, { baiduRefundBatchId: 'b1' })],
      [['R1', 402]],
      [],
    ],
    [
      'succeeded, linked to nothing yet: kept, nothing moves',
      [...base, result('b1', 1)],
      [['R1', 400]],
      ['refund-result-unlinked'],
    ],
    [
      'succeeded, but the audit was rejected (no link): nothing moves',
      [...base, audit('b1', { auditStatus: 2, refundPayMoney: 0 }), result('b1', 1)],
      [['R1', 400]],
      ['refund-result-unlinked'],
    ],
    [
      'failed: the after-sale order stays, an anomaly',
      [...base, audit('b1', { refundId: 'R1' }), result('b1', 2)],
      [['R1', 400]],
      ['cashier-refund-failed'],
    ],
    [
      'two batches, two refunds: each result moves its own',
      [
        ...base,
        refundRequested(210, { id: 'R2' }),
        audit('b1', { refundId: 'R1' }),
        audit('b2', { refundId: 'R2' }),
        result('b2', 1),
      ],
      [
        ['R1', 400],
        ['R2', 402],
      ],
      [],
    ],
    [
      "the merchant's link wins over the audit's",
      [
        ...base,
        refundRequested(210, { id: 'R2', baiduRefundBatchId: 'b1' }),
        audit('b1', { refundId: 'R1' }),
        result('b1', 1),
      ],
      [
        ['R1', 400],
        ['R2', 402],
      ],
      [],
    ],
    [
      'after the merchant said processing: refunded',
      [
        ...base,
        refundUpdated(250, { id: 'R1', status: 'processing' }),
        audit('b1', { refundId: 'R1' }),
        result('b1', 1),
      ],
      [['R1', 402]],
      [],
    ],
  ])('%s', (_label, facts, expected, anomalies) => {
    expect(subs(facts)).toEqual(expected);
    expect(codes(facts)).toEqual(anomalies);
  });

  it('gives the same view whatever order the facts come in', () => {
    const facts = [...base, audit('b1', { refundId: 'R1' }), result('b1', 1)];
    expect(viewOf([...facts].reverse())).toEqual(viewOf(facts));
  });
});

describe('a refund audit answer', () => {
  it.each([
    ['approved', { refundId: 'R1' }],
    ['rejected', { auditStatus: 2 as const, refundPayMoney: 0 }],
    ['undecided', { auditStatus: 3 as const, refundPayMoney: 0 }],
  ])('%s changes nothing shown, Mtime included', (_label, answer) => {
    expect(viewOf([...base, audit('b1', answer, 900)])).toEqual(viewOf(base));
  });
});
