import { MERCHANT_EVENT_TYPES, type MerchantEventType } from '../../lib/events';
import { CASHIER_SUCCESS, type LifecycleHandler } from '../../lib/http';
import { handler as orderClosed } from '../../functions/orderClosed';
import { handler as orderCompleted } from '../../functions/orderCompleted';
import { handler as orderPlaced } from '../../functions/orderPlaced';
import { handler as paymentSucceeded } from '../../functions/paymentSucceeded';
import { handler as refundRequested } from '../../functions/refundRequested';
import { handler as refundUpdated } from '../../functions/refundUpdated';
import { handler as shipped } from '../../functions/shipped';
import { uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';
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

const secret = () => stack.secrets.webhookSecret;

const HANDLERS: Record<MerchantEventType, LifecycleHandler> = {
  'order-placed': orderPlaced,
  'payment-succeeded': paymentSucceeded,
  shipped,
  'order-completed': orderCompleted,
  'order-closed': orderClosed,
  'refund-requested': refundRequested,
  'refund-updated': refundUpdated,
};

/** Posts a merchant event (an object, or the exact body text) to its route. */
const post = (type: MerchantEventType, event: object | string) =>
  callHttp(HANDLERS[type], merchantRequest(type, event, secret()));

/** The same JSON value written differently: every object's keys in reverse order, and indented. */
function respelled(value: unknown): string {
  const reversed = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reversed);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .reverse()
          .map(([k, x]) => [k, reversed(x)]),
      );
    }
    return v;
  };
  return `\n  ${JSON.stringify(reversed(value), null, 3)}\n`;
}

/** A new order, placed and synced. */
async function placedOrder(prefix: string) {
  const orderId = uniqueId(prefix);
  const events = orderEvents(orderId);
  expect((await post('order-placed', events['order-placed']())).status).toBe(202);
  return {
    orderId,
    events,
    stored: () => stack.orderCenter.order(orderId, events.order.openId, stack.appKey),
    item: () => stack.service.ledger.get(orderId),
  };
}

describe('a retried payment after a snapshot that changed the amount', () => {
  it('is a duplicate (202 duplicate:true), not a 422; a new payment of the old amount is still refused', async () => {
    // Prepare: paid 2390, then the merchant adds a fee of 100 (the order now computes 2490)
    const order = await placedOrder('retried-pay');
    const payment = order.events['payment-succeeded']();
    expect((await post('payment-succeeded', payment)).body).toMatchObject({ duplicate: false });
    const withFee = {
      ...order.events['order-placed'](),
      occurredAt: payment.occurredAt + 10,
      order: {
        ...order.events.order,
        fees: [...order.events.order.fees!, { name: '包装', amount: 100, quantity: 1 }],
      },
    };
    expect((await post('order-placed', withFee)).status).toBe(202);

    // Act
    const retried = await post('payment-succeeded', payment);
    const another = await post('payment-succeeded', order.events['payment-succeeded']());

    // Assess
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ orderId: order.orderId, eventId: payment.eventId, duplicate: true });
    expect(another.status).toBe(422);
    expect(JSON.stringify(another.body)).toMatch(/must equal the order's computed amount 2490, got 2390/);
    expect((await order.item())?.facts).toHaveLength(3);
  });
});

describe.each(MERCHANT_EVENT_TYPES.map((type) => [type]))('a repeated %s event', (type) => {
  /** The event of this type on a placed order (order-placed: a second snapshot of it). */
  async function setUp() {
    const order = await placedOrder(`rep-${type}`);
    // with its type, as the route requires: the string posts below are this exact body
    const event: Record<string, unknown> = { type, ...order.events[type]() };
    const first = await post(type, event);
    expect(first).toMatchObject({ status: 202, body: { duplicate: false } });
    const item = await order.item();
    return { order, event, item, requests: stack.orderCenter.requests.length };
  }

  it('with the same content is a duplicate, however its JSON is spelled, and changes nothing', async () => {
    // Prepare
    const { order, event, item, requests } = await setUp();

    // Act
    const same = await post(type, JSON.stringify(event));
    const respelledBody = respelled(event);
    const reordered = await post(type, respelledBody);

    // Assess
    expect(respelledBody).not.toBe(JSON.stringify(event));
    for (const answer of [same, reordered]) {
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ orderId: order.orderId, eventId: event.eventId, duplicate: true });
    }
    expect(await order.item()).toEqual(item);
    expect(stack.orderCenter.requests.length).toBe(requests);
  });

  it('with other content under its eventId is 409 conflict naming eventId, and changes nothing', async () => {
    // Prepare
    const { order, event, item, requests } = await setUp();
    const other = { ...event, occurredAt: (event.occurredAt as number) + 1 };

    // Act
    const answer = await post(type, other);

    // Assess
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({
      error: {
        code: 'conflict',
        message: expect.stringContaining(String(event.eventId)),
        details: [{ path: 'eventId', message: expect.any(String) }],
      },
    });
    expect(await order.item()).toEqual(item);
    expect(stack.orderCenter.requests.length).toBe(requests);
  });
});

describe('a repeated event by direct invoke', () => {
  it('is a duplicate when the same, and refused 409 conflict naming eventId when not', async () => {
    // Prepare
    const order = await placedOrder('invoke-rep');
    const event = order.events.shipped();
    await shipped(event, lambdaContext('shipped'));

    // Act
    const again = await shipped(structuredClone(event), lambdaContext('shipped'));
    const other = shipped(
      { ...event, shipment: { ...event.shipment, trackingNo: 'SF0000000000' } },
      lambdaContext('shipped'),
    );

    // Assess
    expect(again).toMatchObject({ eventId: event.eventId, duplicate: true });
    await expect(other).resolves.toMatchObject({
      refused: { status: 409, code: 'conflict', details: [{ path: 'eventId' }] },
    });
  });

  it('sent over HTTP and then invoked directly is one event: a duplicate', async () => {
    // Prepare
    const order = await placedOrder('invoke-http');
    const event = order.events['order-completed']();
    expect((await post('order-completed', event)).body).toMatchObject({ duplicate: false });

    // Act
    const invoked = await orderCompleted(structuredClone(event), lambdaContext('orderCompleted'));

    // Assess
    expect(invoked).toMatchObject({ duplicate: true });
  });
});

describe('a repeated cashier notify', () => {
  const key = () => stack.secrets.cashierPrivateKeyPem;

  it('with other fields under the same key is answered success, changes nothing and is noted once for a person', async () => {
    // Prepare: a paid notify recorded, then "the same" notify (cashier orderId, status) with another amount
    const order = await placedOrder('notify-conflict');
    const fields = cashierFields(order.orderId);
    expect((await callHttp(paymentSucceeded, cashierRequest(signedForm(fields, key())))).body).toEqual(
      CASHIER_SUCCESS,
    );
    const item = await order.item();
    const requests = stack.orderCenter.requests.length;
    const other = signedForm({ ...fields, totalMoney: '9990', payMoney: '9890' }, key());

    // Act: Baidu retries the odd one, as it retries every notify
    const first = await callHttp(paymentSucceeded, cashierRequest(other));
    const second = await callHttp(paymentSucceeded, cashierRequest(other));

    // Assess
    expect(first.body).toEqual(CASHIER_SUCCESS);
    expect(second.body).toEqual(CASHIER_SUCCESS);
    const after = await order.item();
    expect(after?.facts).toEqual(item?.facts);
    expect(after?.version).toBe(item?.version);
    expect(stack.orderCenter.requests.length).toBe(requests);
    expect(after?.conflicts).toEqual([
      { code: 'event-id-conflict', eventId: `cashier:${fields.orderId}:2`, detail: expect.any(String) },
    ]);
    const listed = (await stack.service.ledger.listAnomalies()).orders.find(
      (o) => o.orderId === order.orderId,
    );
    expect(listed?.anomalies.map((a) => a.code)).toEqual(['event-id-conflict']);
  });

  it('with the same fields in another order is a duplicate', async () => {
    // Prepare
    const order = await placedOrder('notify-order');
    const fields = cashierFields(order.orderId);
    await callHttp(paymentSucceeded, cashierRequest(signedForm(fields, key())));
    const reversed = Object.fromEntries(Object.entries(fields).reverse());

    // Act
    const answer = await callHttp(paymentSucceeded, cashierRequest(signedForm(reversed, key())));

    // Assess
    expect(answer.body).toEqual(CASHIER_SUCCESS);
    expect((await order.item())?.conflicts).toBeUndefined();
  });
});

describe('an order re-sent with large snapshots', () => {
  it('is never refused for size: each later snapshot replaces the one before', async () => {
    // Prepare: snapshots of about 150 KB each; the first release kept every one and refused the third
    const order = await placedOrder('bulky');
    const items = Array.from({ length: 130 }, (_, i) => ({
      id: `P${i}`,
      name: `item ${i}`,
      description: 'x'.repeat(1_000),
      quantity: 1,
      price: 10,
      payPrice: 10,
    }));
    const bulky = (i: number) => ({
      ...order.events['order-placed'](),
      occurredAt: order.events['order-placed']().occurredAt + i,
      order: { ...order.events.order, title: `revision ${i}`, items, fees: [], discounts: [] },
    });

    // Act
    const answers = [];
    for (let i = 1; i <= 5; i++) answers.push(await post('order-placed', bulky(i)));

    // Assess
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    const item = await order.item();
    expect(item?.facts).toHaveLength(6);
    expect(item?.facts.filter((f) => f.order !== undefined).map((f) => f.order?.title)).toEqual([
      'revision 5',
    ]);
  });
});
