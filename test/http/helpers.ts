import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { KeyObject } from 'node:crypto';
import { signWebhook, type MerchantEventType, type OrderSnapshot } from '../../lib/events';
import type { HttpReply, LifecycleHandler, StackResult } from '../../lib/http';
import { paidNotifyFields, signedNotifyForm } from '../../local/cashier';
import { snapshot, uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';

export const unixNow = (): number => Math.floor(Date.now() / 1000);

export interface HttpEventOptions {
  headers?: Record<string, string>;
  isBase64Encoded?: boolean;
}

/** An API Gateway v2 (HTTP API, payload 2.0) event, as the route `routeKey` would receive it. */
export function httpEvent(
  routeKey: string,
  body: string | undefined,
  options: HttpEventOptions = {},
): APIGatewayProxyEventV2 {
  const [method = 'POST', rawPath = '/'] = routeKey.split(' ');
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.ap-southeast-1.amazonaws.com', ...options.headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.ap-southeast-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: uniqueId('req'),
      routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    body,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

/** A merchant event posted to its route, signed with the webhook secret at `t` (default now). */
export function merchantRequest(
  type: MerchantEventType,
  event: object | string,
  secret: string,
  options: { t?: number; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  // The body names its type (CONTRACT section 3) unless the test gives one, or a string, itself.
  const body = typeof event === 'string' ? event : JSON.stringify({ type, ...event });
  return httpEvent(`POST /events/${type}`, body, {
    headers: {
      'content-type': 'application/json',
      'x-signature': signWebhook(body, secret, options.t ?? unixNow()),
      ...options.headers,
    },
  });
}

/** The fields of a paid notify for the order, as Baidu's cashier posts them (without rsaSign). */
export function cashierFields(
  tpOrderId: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    ...paidNotifyFields({
      tpOrderId,
      cashierOrderId: uniqueId('800020151'),
      amount: 2390,
      paidAt: unixNow() - 60,
    }),
    // a coupon, and a promoDetail that needs URL-encoding
    payMoney: '2290',
    promoMoney: '100',
    promoDetail: '[{"promoId":"coupon-100","promoName":"满减 优惠券","promoMoney":100}]',
    ...overrides,
  };
}

/** The form body with rsaSign, signed as the cashier platform signs. */
export function signedForm(fields: Record<string, string>, privateKey: string | KeyObject): string {
  return signedNotifyForm(fields, privateKey);
}

export function cashierRequest(form: string, options: HttpEventOptions = {}): APIGatewayProxyEventV2 {
  return httpEvent('POST /baidu/payment-notify', form, {
    ...options,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
  });
}

/** Merchant events of one order, each with a fresh eventId, in the shapes of docs/contract.md section 3. */
export function orderEvents(orderId: string, order: Partial<OrderSnapshot> = {}) {
  const at = unixNow() - 3_000;
  const placedOrder = snapshot({ createdAt: at, ...order });
  const envelope = (offset: number) => ({ eventId: uniqueId('evt'), occurredAt: at + offset, orderId });
  return {
    order: placedOrder,
    'order-placed': () => ({ ...envelope(0), order: placedOrder }),
    'payment-succeeded': () => ({
      ...envelope(100),
      payment: { paidAt: at + 100, amount: 2390, cashierOrderId: uniqueId('800020151') },
    }),
    // A virtual order ships no parcel: a carrier there is a 422 (docs/contract.md section 4).
    shipped: () => ({
      ...envelope(200),
      shipment:
        placedOrder.category === 'physical'
          ? { shippedAt: at + 200, carrier: 'SFEXPRESS', trackingNo: 'SF1234567890' }
          : { shippedAt: at + 200 },
    }),
    'order-completed': () => envelope(300),
    'order-closed': () => ({ ...envelope(300), reason: 'buyer cancelled' }),
    'refund-requested': () => ({
      ...envelope(400),
      refund: {
        id: 'R1',
        type: 'refund-only',
        amount: 2390,
        items: [{ id: placedOrder.items[0]!.id, quantity: 1, amount: 2390 }],
      },
    }),
    'refund-updated': () => ({ ...envelope(500), refund: { id: 'R1', status: 'refunded' } }),
  } satisfies Record<MerchantEventType, () => object> & { order: OrderSnapshot };
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  reply: HttpReply;
}

/** Calls a handler with an HTTP event and reads its reply. */
export async function callHttp(
  handler: LifecycleHandler,
  event: APIGatewayProxyEventV2,
  context: Context = lambdaContext('test'),
): Promise<Answer> {
  const reply = (await handler(event, context)) as StackResult;
  if (!('statusCode' in reply)) throw new Error(`not an HTTP reply: ${JSON.stringify(reply)}`);
  return { status: reply.statusCode, body: JSON.parse(reply.body) as Record<string, unknown>, reply };
}

/** What the logger writes to stdout and stderr, captured (and kept off the console) until restore(). */
export function captureLogs(): { text(): string; lines(): Record<string, unknown>[]; restore(): void } {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  const text = () => chunks.join('');
  return {
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}
