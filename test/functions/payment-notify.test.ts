import { CASHIER_SUCCESS, type LifecycleHandler } from '../../lib/http';
import { pushOrder } from '../../lib/sync/push';
import { handler as orderCompleted } from '../../functions/orderCompleted';
import { handler as orderPlaced } from '../../functions/orderPlaced';
import {
  handler as paymentSucceeded,
  triggers as paymentSucceededTriggers,
} from '../../functions/paymentSucceeded';
import { handler as shipped } from '../../functions/shipped';
import { uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';
import { wired } from '../helpers/wired';
import {
  callHttp,
  captureLogs,
  cashierFields,
  cashierRequest,
  merchantRequest,
  orderEvents,
  signedForm,
} from '../http/helpers';

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

afterEach(() => stack.orderCenter.resetFaults());

const key = () => stack.secrets.cashierPrivateKeyPem;

/** An order placed (by direct invoke) and synced, ready to be paid. */
async function placedOrder(prefix: string) {
  const orderId = uniqueId(prefix);
  const events = orderEvents(orderId);
  await orderPlaced(events['order-placed'](), lambdaContext('orderPlaced'));
  return {
    orderId,
    events,
    stored: () => stack.orderCenter.order(orderId, events.order.openId, stack.appKey),
  };
}

describe('POST /baidu/payment-notify', () => {
  it("answers Baidu's success once recorded, and the Order Center shows the order paid", async () => {
    // Prepare
    const order = await placedOrder('notify');
    const fields = cashierFields(order.orderId);

    // Act
    const answer = await callHttp(paymentSucceeded, cashierRequest(signedForm(fields, key())));

    // Assess
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.reply.body)).toEqual({ errno: 0, msg: 'success', data: { isConsumed: 2 } });
    expect(order.stored()?.data.Status).toBe(5);
    const pushed = stack.orderCenter.requests.filter((r) => r.query.scene_id === fields.orderId);
    expect(pushed.map((r) => r.call)).toEqual(['update/main/info']);
  });

  it('takes a base64-encoded body, as an HTTP API passes a form', async () => {
    // Prepare
    const order = await placedOrder('base64');
    const form = signedForm(cashierFields(order.orderId), key());

    // Act
    const answer = await callHttp(
      paymentSucceeded,
      cashierRequest(Buffer.from(form).toString('base64'), { isBase64Encoded: true }),
    );

    // Assess
    expect(answer.body).toEqual(CASHIER_SUCCESS);
    expect(order.stored()?.data.Status).toBe(5);
  });

  it('answers a retried notify the same, and applies it once', async () => {
    // Prepare
    const order = await placedOrder('retry');
    const form = signedForm(cashierFields(order.orderId), key());
    await callHttp(paymentSucceeded, cashierRequest(form));
    const requestsBefore = stack.orderCenter.requests.length;

    // Act
    const answer = await callHttp(paymentSucceeded, cashierRequest(form));

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(CASHIER_SUCCESS);
    expect(stack.orderCenter.requests.length).toBe(requestsBefore);
    expect(order.stored()?.statusHistory.map((s) => s.status)).toEqual([1, 5]);
  });

  it('a cancel notify (status -1) of an unpaid order closes it only once it is PAYMENT_CHECK_AFTER_MINUTES old', async () => {
    // Prepare
    const order = await placedOrder('cancelled');
    const fields = cashierFields(order.orderId, { status: '-1', payTime: '' });

    // Act: the notify, then a push as reconcile would make it 16 minutes later
    const answer = await callHttp(paymentSucceeded, cashierRequest(signedForm(fields, key())));
    const before = await stack.service.ledger.get(order.orderId);
    const statusBefore = order.stored()?.data.Status;
    const later = Date.now() + 16 * 60_000;
    const sync = { ...stack.service.sync, now: () => later };
    const pushed = await pushOrder(sync, order.orderId, { deadline: later + 5_000 });

    // Assess: recorded and answered; open (and due at the end of the wait) until then; closed after
    expect(answer.body).toEqual(CASHIER_SUCCESS);
    expect(statusBefore).toBe(1);
    expect(before?.syncState).toBe('pending');
    expect(before?.nextAttemptAt).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(before?.nextAttemptAt).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    expect(pushed.state).toBe('synced');
    expect(order.stored()?.data.Status).toBe(100);
  });

  it('a cancel notify of a paid, shipped and completed order changes nothing and is an anomaly', async () => {
    // Prepare: paid through the cashier (CX0), shipped, completed
    const order = await placedOrder('cancel-after-paid');
    const paid = cashierFields(order.orderId);
    await callHttp(paymentSucceeded, cashierRequest(signedForm(paid, key())));
    await shipped(order.events.shipped(), lambdaContext('shipped'));
    await orderCompleted(order.events['order-completed'](), lambdaContext('orderCompleted'));
    expect(order.stored()?.data.Status).toBe(200);
    // the abandoned second cashier attempt, cancelled by Baidu
    const cancel = cashierFields(order.orderId, { orderId: '930000002', status: '-1', payTime: '' });

    // Act
    const answer = await callHttp(paymentSucceeded, cashierRequest(signedForm(cancel, key())));
    const later = Date.now() + 60 * 60_000;
    await pushOrder({ ...stack.service.sync, now: () => later }, order.orderId, { deadline: later + 5_000 });

    // Assess
    expect(answer.body).toEqual(CASHIER_SUCCESS);
    expect(order.stored()?.data.Status).toBe(200);
    const item = await stack.service.ledger.get(order.orderId);
    expect(item?.syncState).toBe('synced');
    expect(item?.anomalies).toEqual([
      expect.objectContaining({ code: 'cashier-cancel-after-progress', eventId: 'cashier:930000002:-1' }),
    ]);
  });

  describe('with CASHIER_DEAL_ID set', () => {
    // paymentSucceeded wired to a service of this shop's dealId
    let dealBound: LifecycleHandler;
    beforeAll(() => {
      dealBound = wired(paymentSucceededTriggers, stack.serviceWith({ cashierDealId: '470193086' }));
    });

    it("a validly signed notify of another shop's deal pays nothing, and is an anomaly", async () => {
      // Prepare
      const order = await placedOrder('foreign-deal');
      const foreign = cashierFields(order.orderId, { dealId: '470999999' });

      // Act
      const answer = await callHttp(dealBound, cashierRequest(signedForm(foreign, key())));

      // Assess: acknowledged (Baidu stops retrying), nothing changes, a person sees it
      expect(answer.body).toEqual(CASHIER_SUCCESS);
      expect(order.stored()?.data.Status).toBe(1);
      const item = await stack.service.ledger.get(order.orderId);
      expect(item?.anomalies).toEqual([
        expect.objectContaining({ code: 'cashier-foreign-deal', eventId: `cashier:${foreign.orderId}:2` }),
      ]);
    });

    it("this shop's own deal still pays", async () => {
      const order = await placedOrder('own-deal');
      await callHttp(dealBound, cashierRequest(signedForm(cashierFields(order.orderId), key())));
      expect(order.stored()?.data.Status).toBe(5);
    });
  });

  it("a merchant eventId shaped like a cashier notify's is refused, and the notify then pays", async () => {
    // Prepare
    const order = await placedOrder('shadow');
    const fields = cashierFields(order.orderId, { orderId: '970000001' });
    const shadow = { ...order.events.shipped(), eventId: 'cashier:970000001:2' };

    // Act
    const refused = await callHttp(shipped, merchantRequest('shipped', shadow, stack.secrets.webhookSecret));
    const notified = await callHttp(paymentSucceeded, cashierRequest(signedForm(fields, key())));

    // Assess
    expect(refused.status).toBe(422);
    expect((refused.body.error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual([
      'eventId',
    ]);
    expect(notified.body).toEqual(CASHIER_SUCCESS);
    expect(order.stored()?.data.Status).toBe(5);
  });

  it('keeps a notify that comes before the order, and the order goes out paid when it comes', async () => {
    // Prepare
    const orderId = uniqueId('early');
    const events = orderEvents(orderId);

    // Act
    const notified = await callHttp(
      paymentSucceeded,
      cashierRequest(signedForm(cashierFields(orderId), key())),
    );
    const waiting = await stack.service.ledger.get(orderId);
    const placed = await callHttp(
      orderPlaced,
      merchantRequest('order-placed', events['order-placed'](), stack.secrets.webhookSecret),
    );

    // Assess
    expect(notified.body).toEqual(CASHIER_SUCCESS);
    expect(waiting?.syncState).toBe('waiting');
    expect(placed.body).toMatchObject({ orderId, duplicate: false, sync: 'synced' });
    const stored = stack.orderCenter.order(orderId, events.order.openId, stack.appKey);
    expect(stored?.data.Status).toBe(5);
    expect(stored?.data.EXT.MainOrder.Payment.IsPayment).toBe(true);
  });

  it('answers within 2 s when the Order Center hangs, leaving the push to reconcile', async () => {
    // Prepare
    const order = await placedOrder('hang');
    stack.orderCenter.setFaults({ hangRate: 1 });
    const startedAt = Date.now();

    // Act
    const answer = await callHttp(
      paymentSucceeded,
      cashierRequest(signedForm(cashierFields(order.orderId), key())),
      lambdaContext('paymentSucceeded', 10_000),
    );

    // Assess
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(answer.body).toEqual(CASHIER_SUCCESS);
    expect((await stack.service.ledger.get(order.orderId))?.syncState).toBe('pending');
  });
});

describe('POST /events/payment-succeeded', () => {
  it('answers 202 within about 1.5 s when the Order Center hangs', async () => {
    // Prepare
    const order = await placedOrder('hang-merchant');
    stack.orderCenter.setFaults({ hangRate: 1 });
    const paid = order.events['payment-succeeded']();
    const startedAt = Date.now();

    // Act
    const answer = await callHttp(
      paymentSucceeded,
      merchantRequest('payment-succeeded', paid, stack.secrets.webhookSecret),
    );

    // Assess
    const elapsed = Date.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(2_000);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      orderId: order.orderId,
      eventId: paid.eventId,
      duplicate: false,
      sync: 'pending',
    });
  });

  it('gives the push less time when the Lambda has less left', async () => {
    // Prepare
    const order = await placedOrder('short');
    stack.orderCenter.setFaults({ hangRate: 1 });
    const startedAt = Date.now();

    // Act
    const answer = await callHttp(
      paymentSucceeded,
      merchantRequest('payment-succeeded', order.events['payment-succeeded'](), stack.secrets.webhookSecret),
      lambdaContext('paymentSucceeded', 900),
    );

    // Assess
    expect(Date.now() - startedAt).toBeLessThan(800);
    expect(answer.body).toMatchObject({ sync: 'pending' });
  });
});
