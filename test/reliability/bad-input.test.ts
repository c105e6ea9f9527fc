import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import {
  parseCashierNotify,
  parseFormBody,
  parseMerchantEvent,
  parseRefundAudit,
  parseRefundResult,
  signCashierFields,
  signWebhook,
  type Fact,
  type MerchantEventType,
} from '../../lib/events';
import { createDynamoLedger } from '../../lib/ledger/dynamo-ledger';
import type { StackResult } from '../../lib/http';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';
import { httpEvent, unixNow } from '../http/helpers';
import {
  CASHIER_FIELD_NAMES,
  CASHIER_ROUTE_KEY,
  cashierNotifyForm,
  MERCHANT_ROUTE_KEYS,
  lifeWithEveryKind,
  merchantEvent,
  REFUND_CALLBACK_ROUTE_KEYS,
  refundCallbackFields,
  routeOf,
  type RefundCallbackRouteKey,
  type RouteKey,
} from './deliveries';
import { REFUND_CALLBACK_HANDLERS, ROUTE_HANDLERS } from './handlers';
import { captureLogs, printCounts, secretsInLogs, type CapturedLogs } from './logs';

/**
 * Generated bad input for every lifecycle route: fields of the wrong type, huge values (under and over the
 * 256 KiB limit), unicode, wrong content types, truncated bodies, bytes that are not text. Every body is
 * signed as its sender would sign it, so it reaches validation. No reply may be a 5xx, every refusal names
 * the field, and nothing of a refused request may be recorded or reach the Order Center.
 */
const MAX_BODY_BYTES = 256 * 1024;
const FC_SEED = 9_112_026;

type Stack = Awaited<ReturnType<typeof startStackForHandlers>>;

let stack: Stack;
let logs: CapturedLogs;
let serial = 0;
const accepted = new Map<string, Fact[]>();
const tried = new Map<string, number>();
const byStatus = new Map<number, number>();
const signatures = new Set<string>();

interface Detail {
  path: string;
  message: string;
}

interface Reply {
  status: number;
  details: Detail[];
  body: Record<string, unknown>;
}

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

async function send(
  route: RouteKey | RefundCallbackRouteKey,
  event: APIGatewayProxyEventV2,
  category: string,
): Promise<Reply> {
  increment(tried, `${route} ${category}`);
  const handler =
    route in REFUND_CALLBACK_HANDLERS
      ? REFUND_CALLBACK_HANDLERS[route as RefundCallbackRouteKey]
      : ROUTE_HANDLERS[route as RouteKey];
  const reply = (await handler(event, lambdaContext(route))) as StackResult;
  if (!('statusCode' in reply)) throw new Error(`${route}: not an HTTP reply`);
  increment(byStatus, reply.statusCode);
  const body = JSON.parse(reply.body) as Record<string, unknown>;
  const error = body.error as { details?: Detail[] } | undefined;
  return { status: reply.statusCode, details: error?.details ?? [], body };
}

/** No 5xx; a refusal carries error.details, each naming a path with a message. */
function expectHandled(reply: Reply): void {
  expect(reply.status).toBeLessThan(500);
  if (reply.status < 300) return;
  expect(reply.details.length).toBeGreaterThan(0);
  for (const detail of reply.details) {
    expect(typeof detail.path).toBe('string');
    expect(detail.message).toEqual(expect.any(String));
    expect(detail.message.length).toBeGreaterThan(0);
  }
}

/** Whether a reply names `path`, a part of it, something inside it, or a rule that reads it. */
function names(reply: Reply, path: string): boolean {
  const alsoRead = CROSS_FIELD_READERS.filter(([prefix]) => path.startsWith(prefix)).map(
    ([, reader]) => reader,
  );
  return reply.details.some(
    ({ path: named }) =>
      named === path ||
      alsoRead.includes(named) ||
      path.startsWith(`${named}.`) ||
      path.startsWith(`${named}[`) ||
      named.startsWith(`${path}.`) ||
      named.startsWith(`${path}[`),
  );
}

/** Cross-field rules (lib/events/merchant.ts) report on one field what others make wrong. */
const CROSS_FIELD_READERS: readonly [prefix: string, reader: string][] = [
  ['order.items', 'order.discounts'],
  ['order.fees', 'order.discounts'],
  ['refund.items', 'refund.amount'],
  ['payment.amount', 'payment.amount'],
];

// ---------------------------------------------------------------------------------------------
// Valid bodies, one new order each

const LIFE = lifeWithEveryKind('template', 'bad-input-user');

function validEvent(route: RouteKey): { orderId: string; event: Record<string, unknown> } {
  serial += 1;
  const orderId = `bad-${serial}`;
  const fact = LIFE.find((f) => routeOf(f.kind) === route)!;
  const event = merchantEvent({ ...fact, orderId, eventId: `${orderId}:${fact.kind}` });
  return { orderId, event: JSON.parse(JSON.stringify(event)) as Record<string, unknown> };
}

function merchantHttp(
  route: RouteKey,
  body: Buffer | string,
  contentType: string | undefined,
): APIGatewayProxyEventV2 {
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const header = signWebhook(raw, stack.secrets.webhookSecret, unixNow());
  signatures.add(header.replace(/^.*v1=/, ''));
  return httpEvent(route, raw.toString('base64'), {
    isBase64Encoded: true,
    headers: { 'x-signature': header, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
  });
}

function cashierFieldsFor(): Record<string, string> {
  serial += 1;
  const snapshot = LIFE[0]!.order!;
  const paidAt = snapshot.createdAt + 60;
  return cashierNotifyForm(`bad-${serial}`, snapshot, paidAt, stack.secrets.cashierPrivateKeyPem).fields;
}

/** The form as Baidu posts it: the fields, then rsaSign over them (valid: the request reaches validation). */
function signedForm(fields: Record<string, string>): string {
  const rsaSign = signCashierFields(fields, stack.secrets.cashierPrivateKeyPem);
  signatures.add(rsaSign);
  return new URLSearchParams({ ...fields, rsaSign }).toString();
}

function cashierHttp(
  body: Buffer | string,
  contentType: string | undefined,
  route: RouteKey | RefundCallbackRouteKey = CASHIER_ROUTE_KEY,
): APIGatewayProxyEventV2 {
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return httpEvent(route, raw.toString('base64'), {
    isBase64Encoded: true,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
  });
}

/** What an accepted request must have recorded: the fact the service's own parser makes of the body sent. */
function noteAccepted(reply: Reply, fact: () => Fact): void {
  if (reply.status >= 300) return;
  const parsed = JSON.parse(JSON.stringify(fact())) as Fact;
  accepted.set(parsed.orderId, [...(accepted.get(parsed.orderId) ?? []), parsed]);
}

const merchantFact = (route: RouteKey, body: string) => () =>
  parseMerchantEvent(route.replace('POST /events/', '') as MerchantEventType, JSON.parse(body));

const cashierFact = (form: string) => () => parseCashierNotify(parseFormBody(form));

/**
 * A refund callback's fact carries when it came (and an audit's, the answer given): what it must have
 * recorded is checked on what Baidu sent, the order and the cashierRefund fields.
 */
const acceptedRefunds = new Map<string, { route: RefundCallbackRouteKey; cashierRefund: unknown }[]>();

function noteAcceptedRefund(reply: Reply, route: RefundCallbackRouteKey, form: string): void {
  if (reply.status >= 300) return;
  const fields = parseFormBody(form);
  const { orderId, cashierRefund } =
    route === 'POST /baidu/refund-audit'
      ? (({ orderId: id, asked }) => ({ orderId: id, cashierRefund: asked }))(parseRefundAudit(fields))
      : parseRefundResult(fields);
  if (!accepted.has(orderId)) accepted.set(orderId, []);
  acceptedRefunds.set(orderId, [...(acceptedRefunds.get(orderId) ?? []), { route, cashierRefund }]);
}

// ---------------------------------------------------------------------------------------------
// Generators

/** Every path of a JSON value, yup style: `order.items[0].payPrice`. */
function paths(node: unknown, prefix = ''): string[] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, child]) => {
    const path = Array.isArray(node) ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key;
    return [path, ...paths(child, path)];
  });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

function valueAt(root: unknown, path: string): unknown {
  return path.match(/[^.[\]]+/g)!.reduce<unknown>((node, s) => (node as Record<string, unknown>)[s], root);
}

function setAt(root: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.match(/[^.[\]]+/g)!;
  const last = segments.pop()!;
  const parent = segments.reduce<Record<string, unknown>>(
    (node, s) => node[s] as Record<string, unknown>,
    root,
  );
  parent[last] = value;
}

const wrongValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, 2 ** 64, 1e21, 0.5, -1, Number.MIN_VALUE, -0);

/** Strings of a size near the body limit (or far under), in 1-, 2- and 4-byte UTF-8 characters. */
const hugeString = fc
  .tuple(fc.constantFrom('x', 'é', '😀'), fc.constantFrom(1_000, 60_000, 130_000, 200_000, 262_000, 270_000))
  .map(([char, bytes]) => char.repeat(Math.floor(bytes / Buffer.byteLength(char))));

const unicodeText = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.constantFrom('\uD800', '\uDFFF', 'a\u0000b', '\u202Eevil', '\uFEFF', 'e\u0301', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '  '),
);

const wrongContentType = fc.constantFrom(
  undefined,
  '',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'application/json',
  'application/octet-stream',
);

const garbage = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: 'binary', maxLength: 300 }).map((text) => Buffer.from(text, 'utf8')),
);

const nonObjectJson = fc.oneof(
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
);

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  stack = await startStackForHandlers();
  logs = captureLogs();
});

afterAll(async () => {
  logs.restore();
  printCounts('bad input: tried', {
    bodies: [...tried.values()].reduce((a, b) => a + b, 0),
    routes: new Set([...tried.keys()].map((key) => key.split(' ').slice(0, 2).join(' '))).size,
    'replies by status': [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', '),
    'accepted (the mutation left a valid event)': [...accepted.values()].reduce((n, f) => n + f.length, 0),
  });
  printCounts('bad input: held', {
    '5xx replies': [...byStatus].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0),
    'orders in the ledger not from an accepted request': strays.ledger,
    'orders in the Order Center not from an accepted request': strays.orderCenter,
    'accepted events not recorded as sent': strays.altered,
    'log lines scanned for secrets': logs.lines().length,
  });
  await stack.stopAndRestore();
});

const strays = { ledger: -1, orderCenter: -1, altered: -1 };
let recorded: string[] = [];

/** Every order id in the ledger table. */
async function ledgerOrderIds(): Promise<string[]> {
  const ids: string[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await stack.dynamo.client.send(
      new ScanCommand({ TableName: stack.tableName, ProjectionExpression: 'orderId', ExclusiveStartKey }),
    );
    for (const item of page.Items ?? []) ids.push(item.orderId!.S!);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return ids;
}

describe.each(MERCHANT_ROUTE_KEYS)('%s with bad input', (route) => {
  const json = 'application/json';

  it('a field of the wrong type: refused naming it, or accepted if the value happens to be valid', async () => {
    const template = validEvent(route).event;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths(template)), wrongValue, async (path, value) => {
        const { event } = validEvent(route);
        setAt(event, path, value);
        const body = JSON.stringify(event);
        const reply = await send(route, merchantHttp(route, body, json), 'wrong type');
        expectHandled(reply);
        if (reply.status >= 300)
          expect({ path, named: names(reply, path), reply: reply.body }).toMatchObject({ named: true });
        expect([202, 422]).toContain(reply.status);
        noteAccepted(reply, merchantFact(route, body));
      }),
      { numRuns: 260, seed: FC_SEED },
    );
  });

  it('huge values, under and over the 256 KiB limit: 413 over it, else refused naming the field or accepted', async () => {
    const template = validEvent(route).event;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths(template)),
        fc.oneof(hugeString, hugeNumber),
        async (path, value) => {
          const { event } = validEvent(route);
          setAt(event, path, value);
          const body = JSON.stringify(event);
          const reply = await send(route, merchantHttp(route, body, json), 'huge');
          expectHandled(reply);
          if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
            expect(reply.status).toBe(413);
            expect(reply.details.map((d) => d.path)).toEqual(['body']);
          } else {
            expect([202, 422]).toContain(reply.status);
            if (reply.status === 422)
              expect({ path, named: names(reply, path), reply: reply.body }).toMatchObject({ named: true });
          }
          noteAccepted(reply, merchantFact(route, body));
        },
      ),
      { numRuns: 110, seed: FC_SEED },
    );
  });

  it('unicode in every string field: refused naming it, or accepted', async () => {
    const template = validEvent(route).event;
    const stringPaths = paths(template).filter((p) => typeof valueAt(template, p) === 'string');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...stringPaths), unicodeText, async (path, value) => {
        const { event } = validEvent(route);
        setAt(event, path, value);
        const body = JSON.stringify(event);
        const reply = await send(route, merchantHttp(route, body, json), 'unicode');
        expectHandled(reply);
        expect([202, 422]).toContain(reply.status);
        if (reply.status === 422)
          expect({ path, named: names(reply, path), reply: reply.body }).toMatchObject({ named: true });
        noteAccepted(reply, merchantFact(route, body));
      }),
      { numRuns: 160, seed: FC_SEED },
    );
  });

  it('a wrong or missing content type: 415 naming Content-Type', async () => {
    await fc.assert(
      fc.asyncProperty(
        wrongContentType.filter((type) => type !== json),
        async (type) => {
          const { event } = validEvent(route);
          const reply = await send(route, merchantHttp(route, JSON.stringify(event), type), 'content type');
          expectHandled(reply);
          expect(reply.status).toBe(415);
          expect(reply.details.map((d) => d.path)).toEqual(['Content-Type']);
        },
      ),
      { numRuns: 40, seed: FC_SEED },
    );
  });

  it('a truncated body: 400 naming the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1, noNaN: true }), async (at) => {
        const body = JSON.stringify(validEvent(route).event);
        const cut = body.slice(0, Math.min(body.length - 1, Math.floor(at * body.length)));
        const reply = await send(route, merchantHttp(route, cut, json), 'truncated');
        expectHandled(reply);
        expect(reply.status).toBe(400);
        expect(reply.details.map((d) => d.path)).toEqual(['body']);
      }),
      { numRuns: 60, seed: FC_SEED },
    );
  });

  it('bytes that are not a JSON object: 400 or 422, naming the body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          garbage,
          nonObjectJson.map((v) => Buffer.from(JSON.stringify(v))),
        ),
        async (body) => {
          const reply = await send(route, merchantHttp(route, body, json), 'not a JSON object');
          expectHandled(reply);
          expect([400, 422]).toContain(reply.status);
        },
      ),
      { numRuns: 80, seed: FC_SEED },
    );
  });
});

describe(`${CASHIER_ROUTE_KEY} with bad input`, () => {
  const form = 'application/x-www-form-urlencoded';
  const route = CASHIER_ROUTE_KEY;
  const fieldNames = CASHIER_FIELD_NAMES;

  it('a field changed, removed or added, then signed: refused naming it, or accepted', async () => {
    const change = fc.oneof(
      fc.record({
        op: fc.constant('set' as const),
        field: fc.constantFrom(...fieldNames),
        value: fc.oneof(unicodeText, fc.string({ maxLength: 20 }), fc.integer().map(String)),
      }),
      fc.record({
        op: fc.constant('remove' as const),
        field: fc.constantFrom(...fieldNames),
        value: fc.constant(''),
      }),
      fc.record({
        op: fc.constant('add' as const),
        field: fc.string({ minLength: 1, maxLength: 10 }),
        value: unicodeText,
      }),
    );
    await fc.assert(
      fc.asyncProperty(change, async ({ op, field, value }) => {
        const sent = cashierFieldsFor();
        const fields =
          op === 'remove'
            ? Object.fromEntries(Object.entries(sent).filter(([name]) => name !== field))
            : { ...sent, [field]: value };
        const body = signedForm(fields);
        const reply = await send(route, cashierHttp(body, form), 'field changed');
        expectHandled(reply);
        expect([200, 400, 401, 422]).toContain(reply.status);
        if (reply.status === 422)
          expect({ field, named: names(reply, field), reply: reply.body }).toMatchObject({ named: true });
        noteAccepted(reply, cashierFact(body));
      }),
      { numRuns: 400, seed: FC_SEED },
    );
  });

  it('huge field values, under and over the 256 KiB limit: 413 over it, else refused naming the field or accepted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fieldNames), hugeString, async (field, value) => {
        const fields = cashierFieldsFor();
        fields[field] = value;
        const body = signedForm(fields);
        const reply = await send(route, cashierHttp(body, form), 'huge');
        expectHandled(reply);
        if (Buffer.byteLength(body) > MAX_BODY_BYTES) expect(reply.status).toBe(413);
        else expect([200, 422]).toContain(reply.status);
        if (reply.status === 422)
          expect({ field, named: names(reply, field), reply: reply.body }).toMatchObject({ named: true });
        noteAccepted(reply, cashierFact(body));
      }),
      { numRuns: 110, seed: FC_SEED },
    );
  });

  it('a wrong or missing content type: 415 naming Content-Type', async () => {
    await fc.assert(
      fc.asyncProperty(
        wrongContentType.filter((type) => type !== form),
        async (type) => {
          const reply = await send(route, cashierHttp(signedForm(cashierFieldsFor()), type), 'content type');
          expectHandled(reply);
          expect(reply.status).toBe(415);
          expect(reply.details.map((d) => d.path)).toEqual(['Content-Type']);
        },
      ),
      { numRuns: 40, seed: FC_SEED },
    );
  });

  it('a truncated form: refused naming rsaSign or the broken field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1, noNaN: true }), async (at) => {
        const body = signedForm(cashierFieldsFor());
        const cut = body.slice(0, Math.min(body.length - 1, Math.floor(at * body.length)));
        const reply = await send(route, cashierHttp(cut, form), 'truncated');
        expectHandled(reply);
        expect([400, 401]).toContain(reply.status);
        if (reply.status === 401) expect(reply.details.map((d) => d.path)).toEqual(['rsaSign']);
      }),
      { numRuns: 100, seed: FC_SEED },
    );
  });

  it('bytes that are not a form: refused, naming what is wrong', async () => {
    await fc.assert(
      fc.asyncProperty(garbage, async (body) => {
        const reply = await send(route, cashierHttp(body, form), 'not a form');
        expectHandled(reply);
        expect([400, 401]).toContain(reply.status);
      }),
      { numRuns: 100, seed: FC_SEED },
    );
  });
});

describe.each(REFUND_CALLBACK_ROUTE_KEYS)('%s with bad input', (route) => {
  const form = 'application/x-www-form-urlencoded';
  const fieldNames = Object.keys(refundCallbackFields(route, 'x'));
  const fieldsFor = (): Record<string, string> => {
    serial += 1;
    return refundCallbackFields(route, `bad-${serial}`);
  };

  it('a field changed, removed or added, then signed: refused naming it, or accepted', async () => {
    const change = fc.oneof(
      fc.record({
        op: fc.constant('set' as const),
        field: fc.constantFrom(...fieldNames),
        value: fc.oneof(unicodeText, fc.string({ maxLength: 20 }), fc.integer().map(String), fc.constant('')),
      }),
      fc.record({
        op: fc.constant('remove' as const),
        field: fc.constantFrom(...fieldNames),
        value: fc.constant(''),
      }),
      fc.record({
        op: fc.constant('add' as const),
        field: fc.string({ minLength: 1, maxLength: 10 }),
        value: unicodeText,
      }),
    );
    await fc.assert(
      fc.asyncProperty(change, async ({ op, field, value }) => {
        const sent = fieldsFor();
        const fields =
          op === 'remove'
            ? Object.fromEntries(Object.entries(sent).filter(([name]) => name !== field))
            : { ...sent, [field]: value };
        const body = signedForm(fields);
        const reply = await send(route, cashierHttp(body, form, route), 'field changed');
        expectHandled(reply);
        expect([200, 400, 401, 422]).toContain(reply.status);
        if (reply.status === 422)
          expect({ field, named: names(reply, field), reply: reply.body }).toMatchObject({ named: true });
        noteAcceptedRefund(reply, route, body);
      }),
      { numRuns: 300, seed: FC_SEED },
    );
  });

  it('huge field values, under and over the 256 KiB limit: 413 over it, else refused naming the field or accepted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fieldNames), hugeString, async (field, value) => {
        const fields = fieldsFor();
        fields[field] = value;
        const body = signedForm(fields);
        const reply = await send(route, cashierHttp(body, form, route), 'huge');
        expectHandled(reply);
        if (Buffer.byteLength(body) > MAX_BODY_BYTES) expect(reply.status).toBe(413);
        else expect([200, 422]).toContain(reply.status);
        if (reply.status === 422)
          expect({ field, named: names(reply, field), reply: reply.body }).toMatchObject({ named: true });
        noteAcceptedRefund(reply, route, body);
      }),
      { numRuns: 60, seed: FC_SEED },
    );
  });

  it('a wrong or missing content type: 415 naming Content-Type', async () => {
    await fc.assert(
      fc.asyncProperty(
        wrongContentType.filter((type) => type !== form),
        async (type) => {
          const reply = await send(route, cashierHttp(signedForm(fieldsFor()), type, route), 'content type');
          expectHandled(reply);
          expect(reply.status).toBe(415);
          expect(reply.details.map((d) => d.path)).toEqual(['Content-Type']);
        },
      ),
      { numRuns: 30, seed: FC_SEED },
    );
  });

  it('a truncated form: refused naming rsaSign or the broken field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1, noNaN: true }), async (at) => {
        const body = signedForm(fieldsFor());
        const cut = body.slice(0, Math.min(body.length - 1, Math.floor(at * body.length)));
        const reply = await send(route, cashierHttp(cut, form, route), 'truncated');
        expectHandled(reply);
        expect([400, 401]).toContain(reply.status);
        if (reply.status === 401) expect(reply.details.map((d) => d.path)).toEqual(['rsaSign']);
      }),
      { numRuns: 80, seed: FC_SEED },
    );
  });

  it('bytes that are not a form: refused, naming what is wrong', async () => {
    await fc.assert(
      fc.asyncProperty(garbage, async (body) => {
        const reply = await send(route, cashierHttp(body, form, route), 'not a form');
        expectHandled(reply);
        expect([400, 401]).toContain(reply.status);
      }),
      { numRuns: 80, seed: FC_SEED },
    );
  });
});

describe('after every refusal', () => {
  it('tried at least 5,000 bodies over all ten routes', () => {
    const total = [...tried.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(5_000);
    const routes = new Set([...tried.keys()].map((key) => key.split(' ').slice(0, 2).join(' ')));
    expect(routes.size).toBe(10);
  });

  it('recorded nothing from a refused request, in the ledger or the Order Center', async () => {
    recorded = await ledgerOrderIds();
    // The call budget's per-second counters (lib/budget) share the table; their key holds a space, so no
    // order id can be one.
    const ledgerStrays = recorded.filter((id) => !accepted.has(id) && !id.startsWith('~budget '));
    const centerStrays = stack.orderCenter.orders().filter((o) => !accepted.has(o.data.ResourceID));
    strays.ledger = ledgerStrays.length;
    strays.orderCenter = centerStrays.length;
    expect(ledgerStrays).toEqual([]);
    expect(centerStrays).toEqual([]);
  });

  it('recorded every accepted event as it was sent, under its own order (no id merged, no character changed)', async () => {
    const ledger = createDynamoLedger({ client: stack.dynamo.client, tableName: stack.tableName });
    const altered: { orderId: string; problem: string }[] = [];
    for (const [orderId, facts] of accepted) {
      const item = await ledger.get(orderId);
      for (const { route, cashierRefund } of acceptedRefunds.get(orderId) ?? []) {
        const kind = route === 'POST /baidu/refund-audit' ? 'refund-audit' : 'refund-result';
        const want = JSON.stringify(sortKeys(cashierRefund));
        const found = (item?.facts ?? []).some(
          (f) => f.kind === kind && JSON.stringify(sortKeys(f.cashierRefund)) === want,
        );
        if (!found)
          altered.push({ orderId: JSON.stringify(orderId), problem: `${kind} not recorded as sent` });
      }
      const shown = JSON.stringify(orderId);
      if (item?.orderId !== orderId)
        altered.push({ orderId: shown, problem: `item is ${JSON.stringify(item?.orderId)}` });
      const others = (item?.facts ?? []).filter((f) => f.orderId !== orderId);
      if (others.length > 0)
        altered.push({ orderId: shown, problem: `holds facts of ${JSON.stringify(others[0]!.orderId)}` });
      const stored = new Set((item?.facts ?? []).map((f) => JSON.stringify(sortKeys(f))));
      for (const fact of facts) {
        if (!stored.has(JSON.stringify(sortKeys(fact))))
          altered.push({ orderId: shown, problem: `${fact.eventId} changed` });
      }
    }
    strays.altered = altered.length;
    expect(altered).toEqual([]);
  });

  it('wrote no secret or signature in any log line', () => {
    const named = new Map([
      ['webhook secret', stack.secrets.webhookSecret],
      ['app secret', stack.secrets.appSecret],
    ]);
    expect(secretsInLogs(logs.lines(), named, signatures)).toEqual([]);
  });
});
