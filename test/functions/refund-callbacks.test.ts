import { handler as orderPlaced } from '../../functions/orderPlaced';
import { handler as paymentSucceeded } from '../../functions/paymentSucceeded';
import {
  handler as refundRequested,
  triggers as refundRequestedTriggers,
} from '../../functions/refundRequested';
import { handler as refundUpdated } from '../../functions/refundUpdated';
import type { Fact, RefundAuditPolicy } from '../../lib/events';
import type { LifecycleHandler } from '../../lib/http';
import { refundAuditFields, refundResultFields, signedNotifyForm } from '../../local/cashier';
import { uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';
import { wired } from '../helpers/wired';
import { callHttp, captureLogs, httpEvent, orderEvents } from '../http/helpers';

// Baidu cashier's refund audit and refund result (docs/contract.md section 5b), end to end: the functions over
// HTTP with real RSA signatures, dynalite, and the local Order Center.

let stack: Awaited<ReturnType<typeof startStackForHandlers>>;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  stack = await startStackForHandlers();
  logs = captureLogs();
});

afterAll(async () => {
  logs.restore();
  await stack.stopAndRestore();
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const signed = (fields: Record<string, string>) =>
  signedNotifyForm(fields, stack.secrets.cashierPrivateKeyPem);

async function audit(fields: Record<string, string>, handler: LifecycleHandler = refundRequested) {
  return callHttp(handler, httpEvent('POST /baidu/refund-audit', signed(fields), { headers: FORM }));
}

async function notify(fields: Record<string, string>) {
  return callHttp(refundUpdated, httpEvent('POST /baidu/refund-notify', signed(fields), { headers: FORM }));
}

const answer = (auditStatus: number, refundPayMoney: number) => ({
  errno: 0,
  msg: 'success',
  data: { auditStatus, calculateRes: { refundPayMoney } },
});

const NOTIFY_SUCCESS = { errno: 0, msg: 'success', data: {} };

/** An order placed and paid (2390 fen) by direct invoke, and what its refund callbacks name. */
async function paidOrder(prefix: string, options: { paid?: boolean } = {}) {
  const orderId = uniqueId(prefix);
  const events = orderEvents(orderId);
  await orderPlaced(events['order-placed'](), lambdaContext('orderPlaced'));
  if (options.paid !== false) await paymentSucceeded(events['payment-succeeded'](), lambdaContext('paid'));
  const batch = { tpOrderId: orderId, cashierOrderId: uniqueId('cash'), refundBatchId: uniqueId('rb') };
  return {
    orderId,
    events,
    batch,
    requestRefund: async (extra: Record<string, unknown> = {}) => {
      const event = events['refund-requested']();
      await refundRequested({ ...event, refund: { ...event.refund, ...extra } }, lambdaContext('refund'));
    },
    subStatus: () =>
      stack.orderCenter.order(orderId, events.order.openId, stack.appKey)?.data.EXT.SubsOrder?.Items[0]
        ?.SubStatus,
    facts: async (kind: Fact['kind']) =>
      ((await stack.service.ledger.get(orderId))?.facts ?? []).filter((fact) => fact.kind === kind),
    anomalies: async () => (await stack.service.ledger.get(orderId))?.anomalies ?? [],
  };
}

describe('POST /baidu/refund-audit and /baidu/refund-notify (policy match, the default)', () => {
  it("asks before the merchant's refund event (undecided), then after it (approved), then Baidu's result makes it 402", async () => {
    // Prepare
    const order = await paidOrder('story');
    const asked = refundAuditFields({ ...order.batch, applyRefundMoney: 2390 });

    // Act
    const early = await audit(asked);
    const askedAgain = await audit(asked);
    await order.requestRefund();
    const approved = await audit(asked);
    const afterwards = await audit(asked);
    const result = await notify(refundResultFields({ ...order.batch, succeeded: true }));
    const requestsBefore = stack.orderCenter.requests.length;
    const retried = await notify(refundResultFields({ ...order.batch, succeeded: true }));

    // Assess
    expect(early.status).toBe(200);
    expect(early.body).toEqual(answer(3, 0));
    expect(askedAgain.body).toEqual(answer(3, 0));
    expect(approved.body).toEqual(answer(1, 2390));
    expect(afterwards.body).toEqual(answer(1, 2390));
    expect(result.body).toEqual(NOTIFY_SUCCESS);
    expect(retried.body).toEqual(NOTIFY_SUCCESS);
    expect(order.subStatus()).toBe(402);
    expect(stack.orderCenter.requests.length).toBe(requestsBefore);
    const audits = await order.facts('refund-audit');
    expect(audits.map((fact) => [fact.audit?.auditStatus, fact.audit?.refundId])).toEqual(
      expect.arrayContaining([
        [3, undefined],
        [1, 'R1'],
      ]),
    );
    expect(audits).toHaveLength(2);
    expect(await order.facts('refund-result')).toHaveLength(1);
  });

  it('keeps an approval for ever, even once the refund it matched is gone', async () => {
    // Prepare
    const order = await paidOrder('forever');
    await order.requestRefund();
    const asked = refundAuditFields({ ...order.batch, applyRefundMoney: 2390 });
    await audit(asked);
    await refundUpdated(
      { ...order.events['refund-updated'](), refund: { id: 'R1', status: 'closed' } },
      lambdaContext('refundUpdated'),
    );

    // Act
    const again = await audit(asked);

    // Assess
    expect(again.body).toEqual(answer(1, 2390));
  });

  it.each([
    ['an order unknown to the ledger', { known: false }, 2390],
    ['an unpaid order', { paid: false }, 2390],
    ['an amount over the refundable rest', {}, 2391],
  ])('rejects %s, with refundPayMoney 0, and records the answer', async (_case, setup, amount) => {
    // Prepare
    const order = 'known' in setup ? undefined : await paidOrder('reject', setup);
    const orderId = order?.orderId ?? uniqueId('unknown');
    const batch = order?.batch ?? { tpOrderId: orderId, cashierOrderId: 'c1', refundBatchId: uniqueId('rb') };
    await order?.requestRefund();

    // Act
    const reply = await audit(refundAuditFields({ ...batch, applyRefundMoney: amount }));
    const again = await audit(refundAuditFields({ ...batch, applyRefundMoney: amount }));

    // Assess
    expect(reply.body).toEqual(answer(2, 0));
    expect(again.body).toEqual(answer(2, 0));
    const item = await stack.service.ledger.get(orderId);
    const audits = (item?.facts ?? []).filter((fact) => fact.kind === 'refund-audit');
    expect(audits).toHaveLength(1);
    expect(audits[0]?.audit).toMatchObject({ auditStatus: 2, refundPayMoney: 0, policy: 'match' });
    expect(audits[0]?.cashierRefund).toMatchObject({ refundBatchId: batch.refundBatchId });
  });

  it('keeps the after-sale order where it was when the refund failed, and records an anomaly', async () => {
    // Prepare
    const order = await paidOrder('failed');
    await order.requestRefund();
    await audit(refundAuditFields({ ...order.batch, applyRefundMoney: 2390 }));

    // Act
    const reply = await notify(refundResultFields({ ...order.batch, succeeded: false }));

    // Assess
    expect(reply.body).toEqual(NOTIFY_SUCCESS);
    expect(order.subStatus()).toBe(400);
    expect(await order.anomalies()).toEqual([
      expect.objectContaining({
        code: 'cashier-refund-failed',
        eventId: expect.stringContaining('refund-result'),
      }),
    ]);
  });

  it('keeps a result linked to nothing yet, and applies it once a merchant event names the batch', async () => {
    // Prepare
    const order = await paidOrder('unlinked');
    await order.requestRefund();

    // Act
    const reply = await notify(refundResultFields({ ...order.batch, succeeded: true }));
    const before = order.subStatus();
    const anomalies = await order.anomalies();
    await refundUpdated(
      {
        ...order.events['refund-updated'](),
        refund: { id: 'R1', status: 'processing', baiduRefundBatchId: order.batch.refundBatchId },
      },
      lambdaContext('refundUpdated'),
    );

    // Assess
    expect(reply.body).toEqual(NOTIFY_SUCCESS);
    expect(before).toBe(400);
    expect(anomalies.map((a) => a.code)).toEqual(['refund-result-unlinked']);
    expect(order.subStatus()).toBe(402);
    expect(await order.anomalies()).toEqual([]);
  });

  it('gives every one of several concurrent asks the same answer, and records one decision', async () => {
    // Prepare
    const order = await paidOrder('concurrent');
    await order.requestRefund();
    const asked = refundAuditFields({ ...order.batch, applyRefundMoney: 2390 });

    // Act
    const replies = await Promise.all(Array.from({ length: 5 }, () => audit(asked)));

    // Assess
    for (const reply of replies) expect(reply.body).toEqual(answer(1, 2390));
    expect(await order.facts('refund-audit')).toHaveLength(1);
  });

  it('answers within 2 s when the Order Center hangs, the answer recorded all the same', async () => {
    // Prepare
    // The refund is recorded but not pushed, so the audit's push has a call to make, and it hangs.
    const order = await paidOrder('hang');
    stack.orderCenter.setFaults({ hangRate: 1 });
    await order.requestRefund();
    const startedAt = Date.now();

    // Act
    let reply: Awaited<ReturnType<typeof audit>>;
    try {
      reply = await audit(refundAuditFields({ ...order.batch, applyRefundMoney: 2390 }));
    } finally {
      stack.orderCenter.resetFaults();
    }

    // Assess
    // (The refund's own push hung, so the order backs off and the audit's fact is not pushed inline: a new
    // fact does not skip a transient backoff. The answer then comes at once; with a push it comes by 2 s.)
    const elapsed = Date.now() - startedAt;
    expect(elapsed).toBeLessThan(2_000);
    expect(reply.body).toEqual(answer(1, 2390));
    expect((await order.facts('refund-audit'))[0]?.audit).toMatchObject({ auditStatus: 1, refundId: 'R1' });
  });

  it('refuses a refund callback that breaks the contract with 422 naming the field, and records nothing', async () => {
    // Prepare
    const orderId = uniqueId('bad');
    const fields = refundResultFields({
      tpOrderId: orderId,
      cashierOrderId: 'c',
      refundBatchId: 'b',
      succeeded: true,
    });

    // Act
    const reply = await notify({ ...fields, refundStatus: '3' });

    // Assess
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ errno: 422, error: { details: [{ path: 'refundStatus' }] } });
    expect(await stack.service.ledger.get(orderId)).toBeUndefined();
  });
});

describe('POST /baidu/refund-audit under REFUND_AUDIT_POLICY=approve and manual', () => {
  /** refundRequested wired to a service that answers audits under the policy */
  const withPolicy = (policy: RefundAuditPolicy): LifecycleHandler =>
    wired(refundRequestedTriggers, stack.serviceWith({ refundAuditPolicy: policy }));

  it('approve: approves any amount within the rest, with no merchant refund, and rejects beyond it', async () => {
    // Prepare
    const approving = withPolicy('approve');
    const order = await paidOrder('approve');
    const second = { ...order.batch, refundBatchId: uniqueId('rb') };

    // Act
    const first = await audit(refundAuditFields({ ...order.batch, applyRefundMoney: 2000 }), approving);
    const over = await audit(refundAuditFields({ ...second, applyRefundMoney: 391 }), approving);

    // Assess
    expect(first.body).toEqual(answer(1, 2000));
    expect(over.body).toEqual(answer(2, 0));
  });

  it('manual: undecided even when a merchant refund matches', async () => {
    // Prepare
    const manual = withPolicy('manual');
    const order = await paidOrder('manual');
    await order.requestRefund();

    // Act
    const reply = await audit(refundAuditFields({ ...order.batch, applyRefundMoney: 2390 }), manual);

    // Assess
    expect(reply.body).toEqual(answer(3, 0));
    expect((await order.facts('refund-audit'))[0]?.audit).toMatchObject({ policy: 'manual', auditStatus: 3 });
  });
});
