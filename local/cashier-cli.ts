import { InvalidInputError } from '../lib/validation';
import { refundAuditFields, refundResultFields } from './cashier';

/** One refund callback the local cashier sends to the running stack: where, and the unsigned fields. */
export interface CashierCallback {
  path: '/baidu/refund-audit' | '/baidu/refund-notify';
  fields: Record<string, string>;
}

export const CASHIER_CLI_USAGE = [
  'npm run cashier -- audit <orderId> <refundBatchId> [applyRefundMoney]   Baidu asks whether to refund (退款审核)',
  'npm run cashier -- refund <orderId> <refundBatchId> succeeded|failed   Baidu says how the refund ended (退款结果)',
].join('\n');

const ID = /^\S{1,64}$/;
const FEN = /^\d{1,15}$/;

/**
 * Reads `audit <orderId> <refundBatchId> [applyRefundMoney]` or `refund <orderId> <refundBatchId>
 * succeeded|failed`. The cashier's own order id is `cashier-<orderId>`, as the local stack has no cashier
 * orders of its own. Bad arguments are refused naming each one.
 */
export function parseCashierArgs(argv: readonly string[]): CashierCallback {
  const [command, orderId = '', refundBatchId = '', last, ...extra] = argv;
  const issues: { path: string; message: string }[] = [];
  if (command !== 'audit' && command !== 'refund')
    issues.push({ path: 'command', message: 'must be audit or refund' });
  if (!ID.test(orderId))
    issues.push({ path: 'orderId', message: 'must be an order id (1-64 characters, no spaces)' });
  if (!ID.test(refundBatchId))
    issues.push({ path: 'refundBatchId', message: 'must be a refund batch id (1-64 characters, no spaces)' });
  if (command === 'audit' && last !== undefined && !FEN.test(last))
    issues.push({ path: 'applyRefundMoney', message: 'must be an amount in fen (an integer >= 0)' });
  if (command === 'refund' && last !== 'succeeded' && last !== 'failed')
    issues.push({ path: 'outcome', message: 'must be succeeded or failed' });
  if (extra.length > 0) issues.push({ path: 'arguments', message: `unexpected: ${extra.join(' ')}` });
  if (issues.length > 0) throw new InvalidInputError(issues, 'cashier');
  const batch = { tpOrderId: orderId, cashierOrderId: `cashier-${orderId}`, refundBatchId };
  if (command === 'audit') {
    return {
      path: '/baidu/refund-audit',
      fields: refundAuditFields({
        ...batch,
        ...(last === undefined ? {} : { applyRefundMoney: Number(last) }),
      }),
    };
  }
  return {
    path: '/baidu/refund-notify',
    fields: refundResultFields({ ...batch, succeeded: last === 'succeeded' }),
  };
}
