import * as yup from 'yup';
import { InvalidInputError, issuesFromYup } from '../validation';
import { parseRefundAuditCommand, type RefundAuditCommand } from './refund-audit';

/** What an invocation of reconcile asks for. */
export type ReconcileCommand =
  | { kind: 'run' }
  | { kind: 'push'; orderIds: string[]; force: boolean }
  | { kind: 'dryRun'; orderIds?: string[]; force: boolean }
  | { kind: 'revive'; orderIds?: string[] }
  | { kind: 'report' }
  | RefundAuditCommand;

const MAX_ORDER_IDS = 500;

const schema = yup
  .object({
    orderIds: yup
      .array(
        yup
          .string()
          .strict()
          .matches(/\S/, ({ path }) => `${path} must not be empty`)
          .required(({ path }) => `${path} must be an order id`),
      )
      .strict()
      .min(1, 'orderIds must name at least one order')
      .max(MAX_ORDER_IDS, `orderIds may name at most ${MAX_ORDER_IDS} orders`),
    force: yup.boolean().strict(),
    dryRun: yup.boolean().strict(),
    revive: yup.boolean().strict(),
    report: yup.boolean().strict(),
  })
  .noUnknown(
    ({ unknown }) =>
      `unknown field ${String(unknown)}: use orderIds, force, dryRun, revive, report or refundAudit`,
  )
  .strict()
  .test('one-operation', 'choose one of dryRun, revive and report', (v) => {
    return [v.dryRun, v.revive, v.report].filter(Boolean).length <= 1;
  })
  .test('force-needs-orders', 'force resends whole only the orders named in orderIds', (v) => {
    return !v.force || (v.orderIds !== undefined && !v.report && !v.revive);
  });

/** A schedule's event (EventBridge), not an operator's command. */
function isScheduledEvent(event: unknown): boolean {
  return (
    typeof event === 'object' && event !== null && (event as { source?: unknown }).source === 'aws.events'
  );
}

/** Reads the invocation: a schedule or `{}` runs reconcile; an operator's command does what it names. */
export function parseReconcileCommand(event: unknown): ReconcileCommand {
  if (event === undefined || event === null || isScheduledEvent(event)) return { kind: 'run' };
  if (typeof event !== 'object' || Array.isArray(event)) {
    throw new InvalidInputError(
      [{ path: '', message: 'the event must be a JSON object' }],
      'invalid reconcile command',
    );
  }
  if (Object.hasOwn(event, 'refundAudit')) return parseRefundAuditCommand(event as Record<string, unknown>);
  const unknown = Object.keys(event).filter((key) => !Object.hasOwn(schema.fields, key));
  if (unknown.length > 0) {
    const issues = unknown.map((key) => ({
      path: key,
      message: `unknown field ${key}: use orderIds, force, dryRun, revive, report or refundAudit`,
    }));
    throw new InvalidInputError(issues, 'invalid reconcile command');
  }
  let input: yup.InferType<typeof schema>;
  try {
    input = schema.validateSync(event, { abortEarly: false });
  } catch (err) {
    if (err instanceof yup.ValidationError)
      throw new InvalidInputError(issuesFromYup(err), 'invalid reconcile command');
    throw err;
  }
  const orderIds = input.orderIds?.map((id) => id.trim());
  const force = input.force === true;
  if (input.report) return { kind: 'report' };
  if (input.revive) return { kind: 'revive', orderIds };
  if (input.dryRun) return { kind: 'dryRun', orderIds, force };
  if (orderIds) return { kind: 'push', orderIds, force };
  return { kind: 'run' };
}
