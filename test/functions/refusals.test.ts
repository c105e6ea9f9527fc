import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { signWebhook } from '../../lib/events';
import type { InvokeRefusal } from '../../lib/http/middleware';
import { LedgerUnavailableError } from '../../lib/ledger/types';
import { handler as orderClosed } from '../../functions/orderClosed';
import { handler as orderPlaced, triggers as orderPlacedTriggers } from '../../functions/orderPlaced';
import { handler as paymentSucceeded } from '../../functions/paymentSucceeded';
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
  httpEvent,
  merchantRequest,
  orderEvents,
  signedForm,
  unixNow,
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

/** A valid order-placed event of a new order. */
const placed = () => orderEvents(uniqueId('refused'))['order-placed']();

interface Refused {
  status: number;
  code: string;
  /** paths the reply must name */
  fields: string[];
  message?: RegExp;
}

function expectMerchantRefusal(answer: { status: number; body: Record<string, unknown> }, want: Refused) {
  expect(answer.status).toBe(want.status);
  expect(answer.body).toEqual({
    error: { code: want.code, message: expect.any(String), details: expect.any(Array) },
  });
  const error = answer.body.error as { message: string; details: { path: string; message: string }[] };
  expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(want.fields));
  for (const detail of error.details)
    expect(detail).toEqual({ path: expect.any(String), message: expect.any(String) });
  if (want.message) expect(error.message).toMatch(want.message);
}

describe('a merchant event refused over HTTP', () => {
  const json = { 'content-type': 'application/json' };
  const cases: { name: string; event: () => ReturnType<typeof httpEvent>; want: Refused }[] = [
    {
      name: 'body over 256 KiB',
      event: () => merchantRequest('order-placed', { ...placed(), pad: 'x'.repeat(256 * 1024) }, secret()),
      want: { status: 413, code: 'payload_too_large', fields: ['body'] },
    },
    {
      name: 'text/plain',
      event: () =>
        merchantRequest('order-placed', placed(), secret(), { headers: { 'content-type': 'text/plain' } }),
      want: { status: 415, code: 'unsupported_media_type', fields: ['Content-Type'] },
    },
    {
      name: 'no content type',
      event: () => {
        const event = merchantRequest('order-placed', placed(), secret());
        delete event.headers['content-type'];
        return event;
      },
      want: { status: 415, code: 'unsupported_media_type', fields: ['Content-Type'] },
    },
    {
      name: 'a charset other than UTF-8',
      event: () =>
        merchantRequest('order-placed', placed(), secret(), {
          headers: { 'content-type': 'application/json; charset=iso-8859-1' },
        }),
      want: { status: 415, code: 'unsupported_media_type', fields: ['Content-Type'] },
    },
    {
      name: 'no X-Signature',
      event: () => httpEvent('POST /events/order-placed', JSON.stringify(placed()), { headers: json }),
      want: { status: 401, code: 'bad_signature', fields: ['X-Signature'] },
    },
    {
      name: 'a malformed X-Signature',
      event: () =>
        httpEvent('POST /events/order-placed', JSON.stringify(placed()), {
          headers: { ...json, 'x-signature': 'v1=abc' },
        }),
      want: { status: 401, code: 'bad_signature', fields: ['X-Signature'] },
    },
    {
      name: 'a body changed after signing',
      event: () => {
        const body = JSON.stringify(placed());
        const signature = signWebhook(body, secret(), unixNow());
        return httpEvent('POST /events/order-placed', body.replace('2390', '1'), {
          headers: { ...json, 'x-signature': signature },
        });
      },
      want: { status: 401, code: 'bad_signature', fields: ['X-Signature'] },
    },
    {
      name: 'a signature made with another secret',
      event: () => merchantRequest('order-placed', placed(), 'not-the-secret'),
      want: { status: 401, code: 'bad_signature', fields: ['X-Signature'] },
    },
    {
      name: 'a replayed event (signed 301 s ago)',
      event: () => merchantRequest('order-placed', placed(), secret(), { t: unixNow() - 301 }),
      want: { status: 401, code: 'bad_signature', fields: ['X-Signature'], message: /replay/ },
    },
    {
      name: 'a timestamp from the future (400 s ahead)',
      event: () => merchantRequest('order-placed', placed(), secret(), { t: unixNow() + 400 }),
      want: { status: 401, code: 'bad_signature', fields: ['X-Signature'], message: /replay/ },
    },
    {
      name: 'malformed JSON',
      event: () => merchantRequest('order-placed', '{"eventId": "e1",', secret()),
      want: { status: 400, code: 'malformed_json', fields: ['body'] },
    },
    {
      name: 'a body that is not UTF-8',
      event: () => {
        const bytes = Buffer.concat([
          Buffer.from('{"eventId":"'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}'),
        ]);
        return httpEvent('POST /events/order-placed', bytes.toString('base64'), {
          isBase64Encoded: true,
          headers: { ...json, 'x-signature': signWebhook(bytes, secret(), unixNow()) },
        });
      },
      want: { status: 400, code: 'malformed_json', fields: ['body'] },
    },
    {
      name: 'missing eventId and orderId, an occurredAt that is a string',
      event: () => {
        const { eventId: _e, orderId: _o, ...rest } = placed();
        return merchantRequest('order-placed', { ...rest, occurredAt: '1764316800' }, secret());
      },
      want: { status: 422, code: 'invalid_event', fields: ['eventId', 'orderId', 'occurredAt'] },
    },
    {
      name: 'an order-placed event without its order, with a field it does not know',
      event: () => {
        const { order: _order, ...rest } = placed();
        return merchantRequest('order-placed', { ...rest, colour: 'red' }, secret());
      },
      want: { status: 422, code: 'invalid_event', fields: ['order', 'colour'] },
    },
    {
      name: 'a JSON array',
      event: () => merchantRequest('order-placed', '[]', secret()),
      want: { status: 422, code: 'invalid_event', fields: [''] },
    },
  ];

  it.each(cases)('$name: $want.status $want.code', async ({ event, want }) => {
    // Act
    const answer = await callHttp(orderPlaced, event());

    // Assess
    expectMerchantRefusal(answer, want);
  });

  it('422 names type when a signed body is replayed to another route, and records nothing', async () => {
    // Prepare: the merchant's genuine, signed order-placed, as an attacker would capture it
    const event = placed();
    const genuine = merchantRequest('order-placed', event, secret());
    const replayed = { ...genuine, routeKey: 'POST /events/order-closed', rawPath: '/events/order-closed' };

    // Act
    const answer = await callHttp(orderClosed, replayed);
    const then = await callHttp(orderPlaced, genuine);

    // Assess: refused, and the genuine event is then recorded as new (not a duplicate); the order is open
    expectMerchantRefusal(answer, { status: 422, code: 'invalid_event', fields: ['type'] });
    expect(then.status).toBe(202);
    expect(then.body).toMatchObject({ duplicate: false });
    const item = await stack.service.ledger.get(event.orderId);
    expect(item?.facts.map((f) => f.kind)).toEqual(['placed']);
  });

  it('422 names type when a body over HTTP does not say which event it is', async () => {
    // Act
    const answer = await callHttp(
      orderPlaced,
      merchantRequest('order-placed', JSON.stringify(placed()), secret()),
    );

    // Assess
    expectMerchantRefusal(answer, { status: 422, code: 'invalid_event', fields: ['type'] });
  });

  it('409 names order.openId when a snapshot gives a known order to another user, and records nothing', async () => {
    // Prepare
    const orderId = uniqueId('owner');
    const first = orderEvents(orderId, { openId: 'user-a' })['order-placed']();
    expect((await callHttp(orderPlaced, merchantRequest('order-placed', first, secret()))).status).toBe(202);
    const other = orderEvents(orderId, { openId: 'user-b' })['order-placed']();

    // Act
    const answer = await callHttp(orderPlaced, merchantRequest('order-placed', other, secret()));
    const again = await callHttp(orderPlaced, merchantRequest('order-placed', first, secret()));

    // Assess: refused; the order is still user A's alone; A's exact re-delivery is a duplicate, not refused
    expectMerchantRefusal(answer, { status: 409, code: 'order_owner_conflict', fields: ['order.openId'] });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ duplicate: true });
    const item = await stack.service.ledger.get(orderId);
    expect(item?.facts.map((f) => f.eventId)).toEqual([first.eventId]);
    expect(item?.openId).toBe('user-a');
  });

  it('422 names payment.amount when it differs from the recorded order', async () => {
    // Prepare
    const events = orderEvents(uniqueId('amount'));
    await orderPlaced(events['order-placed'](), lambdaContext('orderPlaced'));
    const paid = events['payment-succeeded']();

    // Act
    const answer = await callHttp(
      paymentSucceeded,
      merchantRequest('payment-succeeded', { ...paid, payment: { ...paid.payment, amount: 1 } }, secret()),
    );

    // Assess
    expectMerchantRefusal(answer, { status: 422, code: 'invalid_event', fields: ['payment.amount'] });
  });

  it.each([
    ['with the snapshot in the event', true],
    ['against the snapshot recorded', false],
  ])('422 names shipment.carrier for a virtual order (%s), and records nothing', async (_case, inline) => {
    // Prepare
    const events = orderEvents(uniqueId('virtual-parcel'), { category: 'virtual' });
    await orderPlaced(events['order-placed'](), lambdaContext('orderPlaced'));
    const event = {
      ...events.shipped(),
      shipment: { shippedAt: unixNow() - 100, carrier: 'SFEXPRESS', trackingNo: 'SF1' },
      ...(inline ? { order: events.order } : {}),
    };

    // Act
    const answer = await callHttp(shipped, merchantRequest('shipped', event, secret()));

    // Assess
    expectMerchantRefusal(answer, {
      status: 422,
      code: 'invalid_event',
      fields: ['shipment.carrier'],
      message: /virtual order/,
    });
    const item = await stack.service.ledger.get(event.orderId);
    expect(item?.facts.map((f) => f.kind)).toEqual(['placed']);
  });

  it('404 for a route the function does not serve', async () => {
    // Act
    const answer = await callHttp(shipped, merchantRequest('order-placed', placed(), secret()));

    // Assess
    expectMerchantRefusal(answer, { status: 404, code: 'route_not_found', fields: ['route'] });
  });

  it('never answers 500 to any signed JSON value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const answer = await callHttp(shipped, merchantRequest('shipped', JSON.stringify(value), secret()));
        expect([400, 422]).toContain(answer.status);
      }),
      { numRuns: 60 },
    );
  });

  it('never answers 500 to any signed string body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), async (body) => {
        const answer = await callHttp(shipped, merchantRequest('shipped', body, secret()));
        expect([400, 422]).toContain(answer.status);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a merchant event refused over direct invoke', () => {
  // Answered, not thrown: Lambda retries an asynchronous invoke that throws, and this input never succeeds.
  it('is answered with a refusal naming every offending field, and nothing is recorded', async () => {
    // Prepare
    const orderId = uniqueId('invoke');
    const { eventId: _e, ...event } = orderEvents(orderId)['shipped']();

    // Act
    const answer = await shipped(
      { ...event, shipment: { shippedAt: 'yesterday' } },
      lambdaContext('shipped'),
    );

    // Assess
    expect(answer).toMatchObject({ refused: { status: 422, code: 'invalid_event' } });
    const { refused } = answer as InvokeRefusal;
    expect(refused.message).toMatch(/eventId: is required.*shipment\.shippedAt/);
    expect(refused.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['eventId', 'shipment.shippedAt']),
    );
    expect(await stack.service.ledger.get(orderId)).toBeUndefined();
  });

  it.each([null, 'shipped', 42, []])('is answered with a refusal for %p', async (event) => {
    await expect(shipped(event, lambdaContext('shipped'))).resolves.toMatchObject({
      refused: { status: 422, code: 'invalid_event' },
    });
  });

  it('still fails, so Lambda retries it, when the ledger cannot record it', async () => {
    const orderId = uniqueId('invoke-down');
    const event = orderEvents(orderId)['order-placed']();
    const ledger = stack.service.ledger;
    const placeOrder = wired(orderPlacedTriggers, stack.service);
    const recordFact = jest
      .spyOn(ledger, 'recordFact')
      .mockRejectedValueOnce(new LedgerUnavailableError('down'));
    try {
      await expect(placeOrder(event, lambdaContext('orderPlaced'))).rejects.toThrow(LedgerUnavailableError);
    } finally {
      recordFact.mockRestore();
    }
  });
});

describe('a cashier notify refused', () => {
  const key = () => stack.secrets.cashierPrivateKeyPem;
  const fields = () => cashierFields(uniqueId('tp'));

  const cases: { name: string; event: () => ReturnType<typeof httpEvent>; want: Refused }[] = [
    {
      name: 'tampered: totalMoney changed after signing',
      event: () => cashierRequest(signedForm(fields(), key()).replace('totalMoney=2390', 'totalMoney=1')),
      want: { status: 401, code: 'bad_signature', fields: ['rsaSign'] },
    },
    {
      name: 'signed with another key',
      event: () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
        return cashierRequest(signedForm(fields(), privateKey));
      },
      want: { status: 401, code: 'bad_signature', fields: ['rsaSign'] },
    },
    {
      name: 'without rsaSign',
      event: () => cashierRequest(new URLSearchParams(fields()).toString()),
      want: { status: 401, code: 'bad_signature', fields: ['rsaSign'] },
    },
    {
      name: 'posted as JSON',
      event: () =>
        cashierRequest(JSON.stringify(fields()), { headers: { 'content-type': 'application/json' } }),
      want: { status: 415, code: 'unsupported_media_type', fields: ['Content-Type'] },
    },
    // A body that is no form cannot carry a signature: refused as unsigned, without detail (amplification).
    {
      name: 'malformed percent-encoding',
      event: () => cashierRequest(`${signedForm(fields(), key())}&promoDetail=%E0%A4%A`),
      want: { status: 401, code: 'bad_signature', fields: ['body'] },
    },
    {
      name: 'a field sent twice',
      event: () => cashierRequest(`${signedForm(fields(), key())}&status=2`),
      want: { status: 401, code: 'bad_signature', fields: ['body'] },
    },
    {
      name: "an unsigned flood of '%&' (256 KiB)",
      event: () => cashierRequest('%&'.repeat(131_000)),
      want: { status: 401, code: 'bad_signature', fields: ['body'] },
    },
    {
      name: 'an unsigned flood of distinct fields',
      event: () => cashierRequest(Array.from({ length: 20_000 }, (_, i) => `k${i}=%ZZ`).join('&')),
      want: { status: 401, code: 'bad_signature', fields: ['body'] },
    },
    {
      name: 'signed, but with an unknown status and no tpOrderId',
      event: () => {
        const { tpOrderId: _tp, ...rest } = fields();
        return cashierRequest(signedForm({ ...rest, status: '3' }, key()));
      },
      want: { status: 422, code: 'invalid_event', fields: ['status', 'tpOrderId'] },
    },
    {
      name: 'over 256 KiB',
      event: () => cashierRequest(signedForm({ ...fields(), returnData: 'x'.repeat(256 * 1024) }, key())),
      want: { status: 413, code: 'payload_too_large', fields: ['body'] },
    },
  ];

  it.each(cases)('$name: $want.status $want.code with errno ≠ 0', async ({ event, want }) => {
    // Act
    const answer = await callHttp(paymentSucceeded, event());

    // Assess
    expect(answer.status).toBe(want.status);
    expect(answer.body).toEqual({
      errno: want.status,
      msg: expect.any(String),
      error: { code: want.code, message: expect.any(String), details: expect.any(Array) },
    });
    const { details } = answer.body.error as { details: { path: string }[] };
    expect(details.map((d) => d.path)).toEqual(expect.arrayContaining(want.fields));
    expect(details.length).toBeLessThanOrEqual(20);
    expect(Buffer.byteLength(answer.reply.body)).toBeLessThanOrEqual(8192);
  });

  it('records nothing for a tampered notify', async () => {
    // Prepare
    const tpOrderId = uniqueId('tampered');
    const form = signedForm(cashierFields(tpOrderId), key()).replace('status=2', 'status=-1');

    // Act
    const answer = await callHttp(paymentSucceeded, cashierRequest(form));

    // Assess
    expect(answer.status).toBe(401);
    expect(await stack.service.ledger.get(tpOrderId)).toBeUndefined();
  });
});
