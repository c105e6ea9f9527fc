import { handler as orderPlaced } from '../../functions/orderPlaced';
import { handler as paymentSucceeded } from '../../functions/paymentSucceeded';
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
  unixNow,
} from '../http/helpers';

let stack: Awaited<ReturnType<typeof startStackForHandlers>>;

beforeAll(async () => {
  stack = await startStackForHandlers();
});

afterAll(async () => {
  await stack.stopAndRestore();
});

/** A word that appears in request bodies only: a log line that holds it holds a body. */
const BODY_MARKER = 'body-marker-7f3a9c';

describe('the log lines of a run of requests', () => {
  let lines: Record<string, unknown>[];
  let text: string;
  const sent: { signatures: string[]; rsaSigns: string[]; orderId: string; eventIds: string[] } = {
    signatures: [],
    rsaSigns: [],
    orderId: '',
    eventIds: [],
  };

  beforeAll(async () => {
    const logs = captureLogs();
    try {
      const orderId = uniqueId('logged');
      const events = orderEvents(orderId, { title: BODY_MARKER });
      const secret = stack.secrets.webhookSecret;
      const placed = events['order-placed']();
      const placedRequest = merchantRequest('order-placed', placed, secret);
      const replayed = merchantRequest('shipped', events.shipped(), secret, { t: unixNow() - 600 });
      const fields = cashierFields(orderId, { returnData: BODY_MARKER });
      const form = signedForm(fields, stack.secrets.cashierPrivateKeyPem);
      sent.orderId = orderId;
      sent.eventIds = [placed.eventId];
      sent.signatures = [placedRequest.headers['x-signature']!, replayed.headers['x-signature']!];
      sent.rsaSigns = [new URLSearchParams(form).get('rsaSign')!];

      await callHttp(orderPlaced, placedRequest, lambdaContext('orderPlaced'));
      await callHttp(shipped, replayed, lambdaContext('shipped'));
      await callHttp(paymentSucceeded, cashierRequest(form), lambdaContext('paymentSucceeded'));
      await callHttp(paymentSucceeded, cashierRequest(form.replace('totalMoney=2390', 'totalMoney=1')));
      await shipped(events.shipped(), lambdaContext('shipped'));
      await shipped({ orderId }, lambdaContext('shipped')).catch(() => undefined);
    } finally {
      logs.restore();
    }
    lines = logs.lines();
    text = logs.text();
  });

  it('hold no secret, token, signature or body', () => {
    const token = stack.ssm.get(`/swan-order-sync/${stack.stage}/access-token`);
    const forbidden = [
      stack.secrets.webhookSecret,
      stack.secrets.appSecret,
      token,
      ...sent.signatures,
      ...sent.signatures.map((s) => s.split('v1=')[1]),
      ...sent.rsaSigns,
      BODY_MARKER,
    ];
    expect(text.length).toBeGreaterThan(0);
    for (const value of forbidden) {
      expect(value).toBeTruthy();
      expect(text).not.toContain(value);
    }
  });

  it('are JSON, one per request, with the Lambda context', () => {
    const requests = lines.filter((line) => /^request (done|refused|failed)$/.test(String(line.message)));
    expect(requests).toHaveLength(6);
    for (const line of requests) {
      expect(line).toMatchObject({ service: 'swan-order-sync', function_request_id: expect.any(String) });
      expect(line.durationMs).toEqual(expect.any(Number));
    }
  });

  it('say route, order, event, duplicate, sync and status of a recorded event', () => {
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'request done',
        route: 'POST /events/order-placed',
        status: 202,
        orderId: sent.orderId,
        eventId: sent.eventIds[0],
        duplicate: false,
        sync: 'synced',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ route: 'POST /baidu/payment-notify', status: 200, orderId: sent.orderId }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ route: 'invoke', status: 'ok', orderId: sent.orderId, sync: 'synced' }),
    );
  });

  it('say why a request was refused, at warn', () => {
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'request refused',
        route: 'POST /events/shipped',
        status: 401,
        reason: 'bad_signature',
        fields: ['X-Signature'],
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'WARN', route: 'POST /baidu/payment-notify', status: 401 }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        route: 'invoke',
        status: 'refused',
        reason: 'invalid_event',
        fields: expect.arrayContaining(['eventId', 'occurredAt']),
      }),
    );
  });

  it('carry no keys of an earlier request', () => {
    const refusedNotify = lines.find(
      (line) => line.route === 'POST /baidu/payment-notify' && line.status === 401,
    );
    expect(refusedNotify).toBeDefined();
    expect(refusedNotify).not.toHaveProperty('orderId');
  });
});
