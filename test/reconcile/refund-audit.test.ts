import { handler as orderPlaced } from '../../functions/orderPlaced';
import { handler as paymentSucceeded } from '../../functions/paymentSucceeded';
import { reconcileHandler } from '../../functions/reconcile';
import { triggers as refundRequestedTriggers } from '../../functions/refundRequested';
import type { LifecycleHandler } from '../../lib/http';
import { parseReconcileCommand, type RefundAuditEntry } from '../../lib/reconcile';
import { InvalidInputError } from '../../lib/validation';
import { refundAuditFields, signedNotifyForm } from '../../local/cashier';
import { uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';
import { wired } from '../helpers/wired';
import { callHttp, captureLogs, httpEvent, orderEvents } from '../http/helpers';

// The operator's side of the refund audit (docs/contract.md section 5b): `{"refundAudit":{...}}` and the report.

describe('parseReconcileCommand: refundAudit', () => {
  const valid = { orderId: 'o-1', refundBatchId: 'rb-1', decision: 'approve' };

  it('reads a decision', () => {
    expect(parseReconcileCommand({ refundAudit: valid })).toEqual({ kind: 'refundAudit', ...valid });
  });

  it.each<[string, unknown, string[]]>([
    ['no decision', { refundAudit: { orderId: 'o-1', refundBatchId: 'rb-1' } }, ['refundAudit.decision']],
    ['a decision not offered', { refundAudit: { ...valid, decision: 'maybe' } }, ['refundAudit.decision']],
    ['a numeric orderId', { refundAudit: { ...valid, orderId: 7 } }, ['refundAudit.orderId']],
    [
      'an empty refundBatchId',
      { refundAudit: { ...valid, refundBatchId: '' } },
      ['refundAudit.refundBatchId'],
    ],
    ['an unknown field inside', { refundAudit: { ...valid, amount: 5 } }, ['refundAudit.amount']],
    ['another command beside it', { refundAudit: valid, report: true }, ['report']],
    ['no object', { refundAudit: 'approve' }, ['refundAudit']],
    ['null', { refundAudit: null }, ['refundAudit']],
  ])('refuses %s, naming the field', (_label, event, paths) => {
    let error: unknown;
    try {
      parseReconcileCommand(event);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues.map((issue) => issue.path)).toEqual(paths);
  });
});

describe('{"refundAudit":{...}} under REFUND_AUDIT_POLICY=manual, and {"report":true}', () => {
  let stack: Awaited<ReturnType<typeof startStackForHandlers>>;
  let logs: ReturnType<typeof captureLogs>;
  // refundRequested and reconcile, wired to one service that answers audits under REFUND_AUDIT_POLICY=manual
  let refundRequested: LifecycleHandler;
  let reconcile: ReturnType<typeof reconcileHandler>;

  beforeAll(async () => {
    stack = await startStackForHandlers();
    const manual = stack.serviceWith({ refundAuditPolicy: 'manual' });
    refundRequested = wired(refundRequestedTriggers, manual);
    reconcile = reconcileHandler(() => manual);
    logs = captureLogs();
  });

  afterAll(async () => {
    logs.restore();
    await stack.stopAndRestore();
  });

  const context = () => lambdaContext('reconcile');
  const audit = async (fields: Record<string, string>) =>
    callHttp(
      refundRequested,
      httpEvent('POST /baidu/refund-audit', signedNotifyForm(fields, stack.secrets.cashierPrivateKeyPem), {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  const decide = (orderId: string, refundBatchId: string, decision: string) =>
    reconcile({ refundAudit: { orderId, refundBatchId, decision } }, context());

  async function askedOrder(prefix: string, applyRefundMoney: number) {
    const orderId = uniqueId(prefix);
    const events = orderEvents(orderId);
    await orderPlaced(events['order-placed'](), lambdaContext('orderPlaced'));
    await paymentSucceeded(events['payment-succeeded'](), lambdaContext('paid'));
    await refundRequested(events['refund-requested'](), lambdaContext('refund'));
    const batch = { tpOrderId: orderId, cashierOrderId: 'cash-9', refundBatchId: uniqueId('rb') };
    const fields = refundAuditFields({ ...batch, applyRefundMoney });
    const first = await audit(fields);
    return { orderId, batch, fields, first };
  }

  it("waits for the operator, then gives Baidu the operator's answer for ever; the report shows both", async () => {
    // Prepare
    const order = await askedOrder('manual', 2390);

    // Act
    const decided = await decide(order.orderId, order.batch.refundBatchId, 'approve');
    const asked = await audit(order.fields);
    const repeated = await decide(order.orderId, order.batch.refundBatchId, 'approve');
    const report = (await reconcile({ report: true }, context())) as { refundAudits: RefundAuditEntry[] };

    // Assess
    expect(order.first.body).toMatchObject({ data: { auditStatus: 3, calculateRes: { refundPayMoney: 0 } } });
    expect(decided).toEqual({
      refundAudit: expect.objectContaining({ auditStatus: 1, refundPayMoney: 2390, duplicate: false }),
    });
    expect(asked.body).toEqual({
      errno: 0,
      msg: 'success',
      data: { auditStatus: 1, calculateRes: { refundPayMoney: 2390 } },
    });
    expect(repeated).toEqual({ refundAudit: expect.objectContaining({ auditStatus: 1, duplicate: true }) });
    const mine = report.refundAudits.filter((entry) => entry.orderId === order.orderId);
    expect(mine).toEqual([
      expect.objectContaining({
        refundBatchId: order.batch.refundBatchId,
        asked: { cashierOrderId: 'cash-9', applyRefundMoney: 2390 },
        answered: expect.objectContaining({ auditStatus: 3, refundPayMoney: 0, policy: 'manual' }),
        final: false,
      }),
      expect.objectContaining({
        answered: expect.objectContaining({
          auditStatus: 1,
          refundPayMoney: 2390,
          reason: 'approved by an operator',
        }),
        decidedBy: 'operator',
        refundId: 'R1',
        final: true,
      }),
    ]);
  });

  it('a rejection is given to Baidu with refundPayMoney 0', async () => {
    // Prepare
    const order = await askedOrder('manual-reject', 2390);

    // Act
    await decide(order.orderId, order.batch.refundBatchId, 'reject');
    const asked = await audit(order.fields);

    // Assess
    expect(asked.body).toMatchObject({ data: { auditStatus: 2, calculateRes: { refundPayMoney: 0 } } });
  });

  it.each([
    ['a batch Baidu never asked about', 'refundAudit.refundBatchId', 2390, 'other-batch', 'approve'],
    ['an approval over the refundable rest', 'refundAudit.decision', 2391, undefined, 'approve'],
  ])('refuses %s, naming %s, and records nothing', async (_label, path, amount, otherBatch, decision) => {
    // Prepare
    const order = await askedOrder('manual-refused', amount);

    // Act
    const act = decide(order.orderId, otherBatch ?? order.batch.refundBatchId, decision);

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'InvalidInputError',
      issues: [expect.objectContaining({ path })],
    });
    const again = await audit(order.fields);
    expect(again.body).toMatchObject({ data: { auditStatus: amount > 2390 ? 2 : 3 } });
  });

  it('refuses to turn a decided batch the other way, naming refundAudit.decision', async () => {
    // Prepare
    const order = await askedOrder('manual-flip', 2390);
    await decide(order.orderId, order.batch.refundBatchId, 'approve');

    // Act
    const act = decide(order.orderId, order.batch.refundBatchId, 'reject');

    // Assess
    await expect(act).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'refundAudit.decision' })],
    });
    expect((await audit(order.fields)).body).toMatchObject({ data: { auditStatus: 1 } });
  });

  it('refuses an order the ledger does not hold, naming refundAudit.orderId', async () => {
    await expect(decide(uniqueId('none'), 'rb', 'reject')).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'refundAudit.orderId' })],
    });
  });
});
