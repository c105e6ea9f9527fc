import * as yup from 'yup';
import { MAX_SYNC_SHARDS } from '../ledger/shard';
import { InvalidInputError, issuesFromYup } from '../validation';
import { parseRefundAuditCommand, type RefundAuditCommand } from './refund-audit';

/**
 * What an invocation of reconcile asks for. `run` (a schedule or `{}`) starts one worker per shard;
 * `worker` (`{"shard": n}`, what `run` sends) drains one shard. The paging commands take the `cursor`
 * their previous page returned.
 */
export type ReconcileCommand =
  | { kind: 'run' }
  | { kind: 'worker'; shard: number }
  | { kind: 'push'; orderIds: string[]; force: boolean }
  | { kind: 'dryRun'; orderIds?: string[]; force: boolean; cursor?: string }
  | { kind: 'revive'; orderIds?: string[]; cursor?: string }
  | { kind: 'report'; cursor?: string }
  | RefundAuditCommand;

const FIELDS = 'orderIds, force, dryRun, revive, report, refundAudit, cursor or shard';

const MAX_ORDER_IDS = 500;

const schema = yup
  .object({
    orderIds: yup
      .array(
        yup
          .string()
          .strict()
          .matches(/\S/, ({ path }) => `${path} must not be empty`)
          // Order ids never hold whitespace (lib/events), so no name reaches a ledger item that is not an order.
          .matches(/^\s*\S+\s*$/, ({ path }) => `${path} must not contain whitespace`)
          .required(({ path }) => `${path} must be an order id`),
      )
      .strict()
      .min(1, 'orderIds must name at least one order')
      .max(MAX_ORDER_IDS, `orderIds may name at most ${MAX_ORDER_IDS} orders`),
    force: yup.boolean().strict(),
    dryRun: yup.boolean().strict(),
    revive: yup.boolean().strict(),
    report: yup.boolean().strict(),
    cursor: yup
      .string()
      .strict()
      .max(2048, 'cursor is at most 2048 characters')
      .matches(/^[A-Za-z0-9_-]+$/, 'cursor must be the cursor a previous page returned'),
    shard: yup
      .number()
      .strict()
      .integer('shard must be a whole number')
      .min(0, 'shard must be at least 0')
      .max(MAX_SYNC_SHARDS - 1, `shard must be below ${MAX_SYNC_SHARDS}`),
  })
  .noUnknown(({ unknown }) => `unknown field ${String(unknown)}: use ${FIELDS}`)
  .strict()
  .test('one-operation', 'choose one of dryRun, revive and report', (v) => {
    return [v.dryRun, v.revive, v.report].filter(Boolean).length <= 1;
  })
  .test('force-needs-orders', 'force resends whole only the orders named in orderIds', (v) => {
    return !v.force || (v.orderIds !== undefined && !v.report && !v.revive);
  })
  .test('shard-alone', 'shard (a worker run) goes alone', (v) => {
    return v.shard === undefined || Object.values(v).filter((x) => x !== undefined).length === 1;
  })
  .test('cursor-pages', 'cursor pages dryRun, revive or report, without orderIds', (v) => {
    return v.cursor === undefined || (!v.orderIds && Boolean(v.dryRun || v.revive || v.report));
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
      message: `unknown field ${key}: use ${FIELDS}`,
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
  const paging = input.cursor === undefined ? {} : { cursor: input.cursor };
  if (input.shard !== undefined) return { kind: 'worker', shard: input.shard };
  if (input.report) return { kind: 'report', ...paging };
  if (input.revive) return { kind: 'revive', orderIds, ...paging };
  if (input.dryRun) return { kind: 'dryRun', orderIds, force, ...paging };
  if (orderIds) return { kind: 'push', orderIds, force };
  return { kind: 'run' };
}
