import { InvalidInputError } from '../lib/validation';
import { paidNotifyFields, refundAuditFields, refundResultFields } from './cashier';

/** One callback the local cashier sends to the running stack: where, and the unsigned fields. */
export interface CashierCallback {
  path: '/baidu/refund-audit' | '/baidu/refund-notify' | '/baidu/payment-notify';
  fields: Record<string, string>;
  /**
   * A payment the local cashier takes first (`pay`): told to the local Order Center's cashier, which
   * answers the payment check's query (findByTpOrderId) from it.
   */
  payment?: { tpOrderId: string; orderId: string; totalMoney: number };
  /** `pay ... --drop-notify`: the payment is taken, its notify is never posted (a lost notify) */
  dropNotify?: boolean;
}

export const CASHIER_CLI_USAGE = [
  "npm run cashier -- pay <orderId> <amount> [--drop-notify]              the buyer pays (支付); --drop-notify: the notify is lost, reconcile's payment check finds it",
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
  if (argv[0] === 'pay') return parsePay(argv.slice(1));
  const [command, orderId = '', refundBatchId = '', last, ...extra] = argv;
  const issues: { path: string; message: string }[] = [];
  if (command !== 'audit' && command !== 'refund')
    issues.push({ path: 'command', message: 'must be pay, audit or refund' });
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

/** The cashier's own order id for a local order: digits, as Baidu's are (int64), the same for every run. */
export function localCashierOrderId(orderId: string): string {
  let hash = 0;
  for (let i = 0; i < orderId.length; i++) hash = (Math.imul(hash, 31) + orderId.charCodeAt(i)) >>> 0;
  return String(80_000_000_000 + hash);
}

/** `pay <orderId> <amount> [--drop-notify]`: the payment notify of a paid order, or only the payment. */
function parsePay(args: readonly string[]): CashierCallback {
  const dropNotify = args.includes('--drop-notify');
  const [orderId = '', amount = '', ...extra] = args.filter((a) => a !== '--drop-notify');
  const issues: { path: string; message: string }[] = [];
  if (!ID.test(orderId))
    issues.push({ path: 'orderId', message: 'must be an order id (1-64 characters, no spaces)' });
  if (!FEN.test(amount))
    issues.push({ path: 'amount', message: 'must be an amount in fen (an integer >= 0)' });
  if (extra.length > 0) issues.push({ path: 'arguments', message: `unexpected: ${extra.join(' ')}` });
  if (issues.length > 0) throw new InvalidInputError(issues, 'cashier');
  const cashierOrderId = localCashierOrderId(orderId);
  return {
    path: '/baidu/payment-notify',
    fields: paidNotifyFields({
      tpOrderId: orderId,
      cashierOrderId,
      amount: Number(amount),
      paidAt: Math.floor(Date.now() / 1000),
    }),
    payment: { tpOrderId: orderId, orderId: cashierOrderId, totalMoney: Number(amount) },
    dropNotify,
  };
}
