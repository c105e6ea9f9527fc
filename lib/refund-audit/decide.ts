import type { CashierRefund, RefundAuditAnswer, RefundAuditPolicy } from '../events/types';
import type { OpenRefund, RefundPosition } from './position';

// The refund audit's answer (CONTRACT section 5b): pure, from the order's refund position and the policy.

const approve = (
  policy: RefundAuditPolicy,
  refundPayMoney: number,
  reason: string,
  refund: OpenRefund | undefined,
  decidedBy: RefundAuditAnswer['decidedBy'] = 'policy',
): RefundAuditAnswer => ({
  auditStatus: 1,
  refundPayMoney,
  reason,
  policy,
  decidedBy,
  ...(refund === undefined ? {} : { refundId: refund.id }),
});

const reject = (
  policy: RefundAuditPolicy,
  reason: string,
  decidedBy: RefundAuditAnswer['decidedBy'] = 'policy',
): RefundAuditAnswer => ({ auditStatus: 2, refundPayMoney: 0, reason, policy, decidedBy });

const undecided = (policy: RefundAuditPolicy, reason: string): RefundAuditAnswer => ({
  auditStatus: 3,
  refundPayMoney: 0,
  reason,
  policy,
  decidedBy: 'policy',
});

/** Open refunds this batch may be for: not linked to another batch. */
const candidatesFor = (open: readonly OpenRefund[], refundBatchId: string): OpenRefund[] =>
  open.filter((refund) => refund.refundBatchId === undefined || refund.refundBatchId === refundBatchId);

/** The refund a batch is for: the open one of exactly its amount, or the only open one when Baidu gave none. */
function matchingRefund(
  candidates: readonly OpenRefund[],
  amount: number | undefined,
): OpenRefund | undefined {
  if (amount !== undefined) return candidates.find((refund) => refund.amount === amount);
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Why an audit must be refused whatever the policy, or undefined. */
function refusal(position: RefundPosition, asked: CashierRefund): string | undefined {
  if (!position.known) return 'the order is unknown to the ledger';
  if (!position.ready) return undefined;
  if (position.paid === 0) return 'the order is not paid';
  const rest = position.paid - position.committed;
  const amount = asked.applyRefundMoney;
  if (amount === 0) return 'applyRefundMoney is 0: nothing to refund';
  if (amount !== undefined && amount > rest) {
    return `applyRefundMoney ${amount} exceeds the refundable rest ${rest} (paid ${position.paid}, refunded or approved ${position.committed})`;
  }
  return undefined;
}

/**
 * The policy's answer to a refund audit:
 * - `match`: approve the amount of an open merchant refund of exactly that amount (and link the batch to
 *   it); otherwise undecided, until the merchant's refund event comes.
 * - `approve`: approve any amount within paid minus refunded.
 * - `manual`: undecided, until an operator decides.
 * Whatever the policy, an unknown or unpaid order, or an amount over the refundable rest, is rejected.
 */
export function decideRefundAudit(
  policy: RefundAuditPolicy,
  position: RefundPosition,
  asked: CashierRefund,
): RefundAuditAnswer {
  const refused = refusal(position, asked);
  if (refused !== undefined) return reject(policy, refused);
  if (!position.known) return reject(policy, 'the order is unknown to the ledger');
  if (!position.ready) return undecided(policy, position.why);
  const amount = asked.applyRefundMoney;
  const rest = position.paid - position.committed;
  const refund = matchingRefund(candidatesFor(position.open, asked.refundBatchId), amount);
  switch (policy) {
    case 'manual':
      return undecided(policy, 'waiting for an operator\'s decision (reconcile {"refundAudit":{...}})');
    case 'approve': {
      const money = amount ?? refund?.amount;
      if (money === undefined) {
        return undecided(
          policy,
          'no applyRefundMoney, and not exactly one open after-sale order to take it from',
        );
      }
      if (money > rest) return reject(policy, `refund of ${money} exceeds the refundable rest ${rest}`);
      return approve(policy, money, `within the refundable rest ${rest}`, refund);
    }
    case 'match': {
      if (refund === undefined) {
        const what =
          amount === undefined ? 'exactly one open merchant refund' : `an open merchant refund of ${amount}`;
        return undecided(policy, `no ${what} yet: waiting for the merchant's refund event`);
      }
      if (refund.amount > rest)
        return reject(policy, `refund of ${refund.amount} exceeds the refundable rest ${rest}`);
      return approve(policy, refund.amount, `matches the merchant's open refund ${refund.id}`, refund);
    }
  }
}

export type OperatorDecision = 'approve' | 'reject';

/**
 * An operator's decision on an audit Baidu asked (reconcile's refundAudit command). A rejection always
 * stands; an approval only within the refundable rest, and for an amount Baidu named or the only open refund's.
 * Returns the answer, or why it cannot be given.
 */
export function operatorAnswer(
  policy: RefundAuditPolicy,
  position: RefundPosition,
  asked: CashierRefund,
  decision: OperatorDecision,
): RefundAuditAnswer | { refused: string } {
  if (decision === 'reject') return reject(policy, 'rejected by an operator', 'operator');
  const refused = refusal(position, asked);
  if (refused !== undefined) return { refused };
  if (!position.known) return { refused: 'the order is unknown to the ledger' };
  if (!position.ready) return { refused: position.why };
  const refund = matchingRefund(candidatesFor(position.open, asked.refundBatchId), asked.applyRefundMoney);
  const money = asked.applyRefundMoney ?? refund?.amount;
  if (money === undefined) {
    return {
      refused:
        'Baidu named no applyRefundMoney and the order has not exactly one open refund to take it from',
    };
  }
  const rest = position.paid - position.committed;
  if (money > rest) return { refused: `refund of ${money} exceeds the refundable rest ${rest}` };
  return approve(policy, money, 'approved by an operator', refund, 'operator');
}
