import * as yup from 'yup';
import { refundAuditEventId, refundAuditFact } from '../events/cashier-refund';
import { unixNow, type UnixClock } from '../events/clock';
import { orderIdSchema } from '../events/merchant-schema';
import type { AuditStatus, Fact, RefundAuditPolicy } from '../events/types';
import type { Ledger } from '../ledger/types';
import { decidedAnswers, operatorAnswer, refundPosition, type OperatorDecision } from '../refund-audit';
import { InvalidInputError, issuesFromYup } from '../validation';

// The operator's side of Baidu's refund audit (CONTRACT section 5b): `{"refundAudit":{...}}` decides an
// audit Baidu asked (policy manual, or any undecided one), and the report lists every recorded answer.

export interface RefundAuditCommand {
  kind: 'refundAudit';
  orderId: string;
  refundBatchId: string;
  decision: OperatorDecision;
}

const DECISIONS: readonly OperatorDecision[] = ['approve', 'reject'];
const FIELDS = ['orderId', 'refundBatchId', 'decision'];

const schema = yup
  .object({
    orderId: orderIdSchema(),
    refundBatchId: orderIdSchema(),
    decision: yup
      .string()
      .strict()
      .required('is required')
      .oneOf(DECISIONS, `must be one of: ${DECISIONS.join(', ')}`),
  })
  .strict();

const refused = (path: string, message: string): InvalidInputError =>
  new InvalidInputError([{ path, message }], 'invalid refundAudit command');

/** Reads `{"refundAudit":{"orderId","refundBatchId","decision":"approve|reject"}}`, naming every bad field. */
export function parseRefundAuditCommand(event: Readonly<Record<string, unknown>>): RefundAuditCommand {
  const others = Object.keys(event).filter((key) => key !== 'refundAudit');
  if (others.length > 0) {
    throw new InvalidInputError(
      others.map((key) => ({
        path: key,
        message: 'refundAudit is a command of its own: nothing goes beside it',
      })),
      'invalid refundAudit command',
    );
  }
  const body = event.refundAudit;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw refused('refundAudit', 'must be an object {"orderId","refundBatchId","decision"}');
  }
  const unknown = Object.keys(body).filter((key) => !FIELDS.includes(key));
  let input: yup.InferType<typeof schema> | undefined;
  const issues = unknown.map((key) => ({
    path: `refundAudit.${key}`,
    message: `unknown field: use ${FIELDS.join(', ')}`,
  }));
  try {
    input = schema.validateSync(body, { abortEarly: false });
  } catch (err) {
    if (!(err instanceof yup.ValidationError)) throw err;
    issues.push(...issuesFromYup(err).map((issue) => ({ ...issue, path: `refundAudit.${issue.path}` })));
  }
  if (issues.length > 0 || input === undefined)
    throw new InvalidInputError(issues, 'invalid refundAudit command');
  return {
    kind: 'refundAudit',
    orderId: input.orderId,
    refundBatchId: input.refundBatchId,
    decision: input.decision as OperatorDecision,
  };
}

export interface RefundAuditDecisionDeps {
  ledger: Ledger;
  bizAppId: string;
  policy: RefundAuditPolicy;
  now?: UnixClock;
}

export interface RefundAuditDecided {
  orderId: string;
  refundBatchId: string;
  auditStatus: AuditStatus;
  refundPayMoney: number;
  reason: string;
  /** the same decision was already recorded: nothing new */
  duplicate: boolean;
}

/**
 * Records an operator's decision on an audit Baidu asked: Baidu gets it the next time it asks (about every 5
 * minutes), and for ever after. Refused, naming the field, when Baidu never asked about the batch, when the
 * batch was already decided otherwise, or when an approval would refund more than is left.
 */
export async function decideRefundAuditByOperator(
  deps: RefundAuditDecisionDeps,
  command: RefundAuditCommand,
): Promise<RefundAuditDecided> {
  const { orderId, refundBatchId, decision } = command;
  const item = await deps.ledger.get(orderId);
  if (!item) throw refused('refundAudit.orderId', `order ${orderId} is not in the ledger`);
  const wanted = decision === 'approve' ? 1 : 2;
  const given = decidedAnswers(item.facts).get(refundBatchId);
  if (given) {
    if (given.audit.auditStatus !== wanted) {
      throw refused(
        'refundAudit.decision',
        `batch ${refundBatchId} was already ${given.audit.auditStatus === 1 ? 'approved' : 'rejected'} (${given.audit.reason}); Baidu keeps that answer`,
      );
    }
    return { orderId, refundBatchId, ...pick(given.audit), duplicate: true };
  }
  const asked = item.facts.find((fact) => fact.eventId === refundAuditEventId(refundBatchId, false));
  if (!asked?.cashierRefund) {
    throw refused(
      'refundAudit.refundBatchId',
      `Baidu has not asked about batch ${refundBatchId} for order ${orderId}`,
    );
  }
  const position = refundPosition(orderId, item.facts, deps.bizAppId);
  const answer = operatorAnswer(deps.policy, position, asked.cashierRefund, decision);
  if ('refused' in answer) throw refused('refundAudit.decision', `cannot approve: ${answer.refused}`);
  const fact = refundAuditFact({ orderId, asked: asked.cashierRefund }, answer, (deps.now ?? unixNow)());
  const recorded = await deps.ledger.recordFact(fact);
  if (recorded.duplicate) {
    // Baidu asked again meanwhile and the policy decided: that answer stands.
    const now = await deps.ledger.get(orderId);
    const winner = now && decidedAnswers(now.facts).get(refundBatchId);
    if (winner) return { orderId, refundBatchId, ...pick(winner.audit), duplicate: true };
  }
  return { orderId, refundBatchId, ...pick(answer), duplicate: recorded.duplicate };
}

const pick = (audit: { auditStatus: AuditStatus; refundPayMoney: number; reason: string }) => ({
  auditStatus: audit.auditStatus,
  refundPayMoney: audit.refundPayMoney,
  reason: audit.reason,
});

/** One refund audit answer as the operator's report shows it: what Baidu asked, what we answered, why. */
export interface RefundAuditEntry {
  orderId: string;
  refundBatchId: string;
  asked: { cashierOrderId: string; applyRefundMoney?: number };
  answered: { auditStatus: AuditStatus; refundPayMoney: number; reason: string; policy: RefundAuditPolicy };
  decidedBy: 'policy' | 'operator';
  /** the after-sale order the batch is for, when matched */
  refundId?: string;
  /** undecided answers are given afresh each time Baidu asks: this is the first of them */
  final: boolean;
  /** Unix seconds */
  at: number;
}

function entry(orderId: string, fact: Fact): RefundAuditEntry | undefined {
  const { audit, cashierRefund: asked } = fact;
  if (!audit || !asked) return undefined;
  return {
    orderId,
    refundBatchId: asked.refundBatchId,
    asked: {
      cashierOrderId: asked.orderId,
      ...(asked.applyRefundMoney === undefined ? {} : { applyRefundMoney: asked.applyRefundMoney }),
    },
    answered: { ...pick(audit), policy: audit.policy },
    decidedBy: audit.decidedBy,
    ...(audit.refundId === undefined ? {} : { refundId: audit.refundId }),
    final: audit.auditStatus !== 3,
    at: fact.occurredAt,
  };
}

/** Every recorded refund audit answer, by order and time. */
export async function refundAuditReport(ledger: Ledger): Promise<RefundAuditEntry[]> {
  const found = await ledger.listRefundAudits();
  return found
    .flatMap(({ orderId, audits }) => audits.map((fact) => entry(orderId, fact)))
    .filter((found): found is RefundAuditEntry => found !== undefined)
    .sort((a, b) => (a.orderId === b.orderId ? a.at - b.at : a.orderId < b.orderId ? -1 : 1));
}
