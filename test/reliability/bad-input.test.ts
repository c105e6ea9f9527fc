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
import { MAX_REFUSAL_BYTES, MAX_REFUSAL_DETAILS, type StackResult } from '../../lib/http';
import { pushOrder } from '../../lib/sync/push';
import { lambdaContext } from '../helpers/lambda';
import { isOrderKey } from '../../lib/ledger/reserved';
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
import { refundCallbackHandlers, routeHandlers } from './handlers';
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
const ROUTE_HANDLERS = routeHandlers(() => stack.service);
const REFUND_CALLBACK_HANDLERS = refundCallbackHandlers(() => stack.service);
let logs: CapturedLogs;
let serial = 0;
const accepted = new Map<string, Fact[]>();
const tried = new Map<string, number>();
const byStatus = new Map<number, number>();
const signatures = new Set<string>();
/** the largest reply body of the whole run, in bytes, and what drew it */
const largest = { bytes: 0, what: '' };
/** issue 20's attacks, by kind: how many were tried */
const attacks = {
  'cross-route replays': 0,
  'cancel notifies on paid orders': 0,
  're-owning snapshots': 0,
  'oversized strings and totals': 0,
  'look-alike eventIds': 0,
  'unsigned or hostile floods': 0,
};

interface Detail {
  path: string;
  message: string;
}

interface Reply {
  status: number;
  details: Detail[];
  body: Record<string, unknown>;
  bytes: number;
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
  const bytes = Buffer.byteLength(reply.body);
  if (bytes > largest.bytes)
    Object.assign(largest, { bytes, what: `${route} ${category} (${reply.statusCode})` });
  const body = JSON.parse(reply.body) as Record<string, unknown>;
  const error = body.error as { details?: Detail[] } | undefined;
  return { status: reply.statusCode, details: error?.details ?? [], body, bytes };
}

/** No 5xx; a refusal carries error.details, each naming a path with a message. */
function expectHandled(reply: Reply): void {
  expect(reply.status).toBeLessThan(500);
  expect(reply.bytes).toBeLessThanOrEqual(MAX_REFUSAL_BYTES);
  if (reply.status < 300) return;
  expect(reply.details.length).toBeGreaterThan(0);
  expect(reply.details.length).toBeLessThanOrEqual(MAX_REFUSAL_DETAILS);
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
    ...attacks,
  });
  printCounts('bad input: held', {
    '5xx replies': [...byStatus].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0),
    'orders in the ledger not from an accepted request': strays.ledger,
    'orders in the Order Center not from an accepted request': strays.orderCenter,
    'accepted events not recorded as sent': strays.altered,
    'log lines scanned for secrets': logs.lines().length,
    'largest reply (bytes)': `${largest.bytes} (${largest.what})`,
  });
  await stack.stopAndRestore();
});

const strays = { ledger: -1, orderCenter: -1, altered: -1 };
let recorded: string[] = [];

/** Every order id in the ledger table (not the call budget's counter items, which share it). */
async function ledgerOrderIds(): Promise<string[]> {
  const ids: string[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await stack.dynamo.client.send(
      new ScanCommand({ TableName: stack.tableName, ProjectionExpression: 'orderId', ExclusiveStartKey }),
    );
    for (const item of page.Items ?? []) if (isOrderKey(item.orderId!.S!)) ids.push(item.orderId!.S!);
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

  it('a truncated form: 401, naming rsaSign, or the body when it is no form (nothing unsigned is detailed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1, noNaN: true }), async (at) => {
        const body = signedForm(cashierFieldsFor());
        const cut = body.slice(0, Math.min(body.length - 1, Math.floor(at * body.length)));
        const reply = await send(route, cashierHttp(cut, form), 'truncated');
        expectHandled(reply);
        expect(reply.status).toBe(401);
        expect([['rsaSign'], ['body']]).toContainEqual(reply.details.map((d) => d.path));
      }),
      { numRuns: 100, seed: FC_SEED },
    );
  });

  it('bytes that are not a form: refused, naming what is wrong', async () => {
    await fc.assert(
      fc.asyncProperty(garbage, async (body) => {
        const reply = await send(route, cashierHttp(body, form), 'not a form');
        expectHandled(reply);
        expect(reply.status).toBe(401);
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
        expect(reply.status).toBe(401);
        expect([['rsaSign'], ['body']]).toContainEqual(reply.details.map((d) => d.path));
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

// ---------------------------------------------------------------------------------------------
// Issue 20: what a hostile or careless sender tried against the first release

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const PLACED_ROUTE = routeOf('placed');

/** Sends a merchant event and, if accepted, notes the fact it records. */
async function deliver(route: RouteKey, event: Record<string, unknown>, category: string): Promise<Reply> {
  const body = JSON.stringify(event);
  const reply = await send(route, merchantHttp(route, body, JSON_TYPE), category);
  expectHandled(reply);
  noteAccepted(reply, merchantFact(route, body));
  return reply;
}

/** A new order, placed and accepted; returns its id and snapshot's user. */
async function placedOrder(category: string): Promise<{ orderId: string; openId: string }> {
  const { orderId, event } = validEvent(PLACED_ROUTE);
  const reply = await deliver(PLACED_ROUTE, event, category);
  expect(reply.status).toBe(202);
  return { orderId, openId: (event.order as { openId: string }).openId };
}

/** A signed cashier notify for the order, accepted or not, noted if accepted. */
async function notify(fields: Record<string, string>, category: string): Promise<Reply> {
  const body = signedForm(fields);
  const reply = await send(CASHIER_ROUTE_KEY, cashierHttp(body, FORM_TYPE), category);
  expectHandled(reply);
  noteAccepted(reply, cashierFact(body));
  return reply;
}

const paidFields = (orderId: string, paidAt: number) =>
  cashierNotifyForm(orderId, LIFE[0]!.order!, paidAt, stack.secrets.cashierPrivateKeyPem).fields;

const shownStatus = (orderId: string, openId: string) =>
  stack.orderCenter.order(orderId, openId, stack.appKey)?.data.Status;

describe('issue 20: hostile senders', () => {
  it('a signed merchant body replayed to another route: 422 naming type, nothing recorded', async () => {
    const routes = fc.constantFrom(...MERCHANT_ROUTE_KEYS);
    await fc.assert(
      fc.asyncProperty(routes, routes, async (from, to) => {
        fc.pre(from !== to);
        attacks['cross-route replays'] += 1;
        const { orderId, event } = validEvent(from);
        const reply = await send(to, merchantHttp(to, JSON.stringify(event), JSON_TYPE), 'cross-route');
        expectHandled(reply);
        expect(reply.status).toBe(422);
        expect(reply.details.map((d) => d.path)).toContain('type');
        expect(await stack.service.ledger.get(orderId)).toBeUndefined();
      }),
      { numRuns: 80, seed: FC_SEED },
    );
    // and across the two kinds of sender: a JSON body to Baidu's route, a form to a merchant route
    attacks['cross-route replays'] += 2;
    const merchantBody = JSON.stringify(validEvent(PLACED_ROUTE).event);
    expect((await send(CASHIER_ROUTE_KEY, cashierHttp(merchantBody, JSON_TYPE), 'cross-route')).status).toBe(
      415,
    );
    const formBody = signedForm(cashierFieldsFor());
    expect(
      (await send(PLACED_ROUTE, merchantHttp(PLACED_ROUTE, formBody, FORM_TYPE), 'cross-route')).status,
    ).toBe(415);
  });

  it('a cancel notify (another cashier attempt) on a paid order: acknowledged, the order stays paid', async () => {
    const later = Date.now() + 86_400_000;
    const sync = { ...stack.service.sync, now: () => later };
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.integer({ min: 1, max: 999_999 }), async (cancelFirst, attempt) => {
        attacks['cancel notifies on paid orders'] += 1;
        const { orderId, openId } = await placedOrder('cancel on paid');
        const paid = paidFields(orderId, LIFE[0]!.order!.createdAt + 60);
        // the buyer's abandoned second attempt, cancelled by Baidu (before or after the paid one arrives)
        const cancel = { ...paid, orderId: `${attempt}`, status: '-1', payTime: String(unixNow()) };
        const sequence = cancelFirst ? [cancel, paid] : [paid, cancel];
        for (const fields of sequence) expect((await notify(fields, 'cancel on paid')).status).toBe(200);
        // long after any wait: reconcile's push decides the cancel for good
        await pushOrder(sync, orderId, { deadline: later + 5_000 });
        expect(shownStatus(orderId, openId)).toBe(5);
        const history = stack.orderCenter.order(orderId, openId, stack.appKey)?.statusHistory ?? [];
        expect(history.map((h) => h.status)).not.toContain(100);
        const item = await stack.service.ledger.get(orderId);
        expect(item?.anomalies?.map((a) => a.code)).toContain('cashier-cancel-after-progress');
      }),
      { numRuns: 24, seed: FC_SEED },
    );
  });

  it('a snapshot that gives a known order to another user: 409 naming order.openId, nothing recorded', async () => {
    const carriers = fc.constantFrom(
      PLACED_ROUTE,
      routeOf('shipped'),
      routeOf('completed'),
      routeOf('closed'),
    );
    const otherUser = fc
      .string({ minLength: 1, maxLength: 30 })
      .filter((id) => /^\S+$/.test(id) && !/\p{Cc}/u.test(id));
    await fc.assert(
      fc.asyncProperty(carriers, otherUser, async (route, stranger) => {
        const { orderId, openId } = await placedOrder('re-owning');
        fc.pre(stranger !== openId);
        attacks['re-owning snapshots'] += 1;
        const { event } = validEvent(route);
        const order = { ...(LIFE[0]!.order as object), openId: stranger };
        const hostile = { ...event, orderId, eventId: `${orderId}:stranger`, order };
        const reply = await deliver(route, hostile, 're-owning');
        expect(reply.status).toBe(409);
        expect(reply.details.map((d) => d.path)).toEqual(['order.openId']);
        const item = await stack.service.ledger.get(orderId);
        expect(item?.facts).toHaveLength(1);
        expect(item?.openId).toBe(openId);
        expect(stack.orderCenter.orders().filter((o) => o.data.ResourceID === orderId)).toHaveLength(1);
      }),
      { numRuns: 40, seed: FC_SEED },
    );
  });

  it('a string over its limit, anywhere: 422 naming it', async () => {
    const routes = fc.constantFrom(...MERCHANT_ROUTE_KEYS);
    const length = fc.constantFrom(1_001, 4_000, 20_000, 204_500);
    await fc.assert(
      fc.asyncProperty(routes, length, fc.nat(), async (route, size, pick) => {
        const { event } = validEvent(route);
        const stringPaths = paths(event).filter((p) => typeof valueAt(event, p) === 'string');
        const path = stringPaths[pick % stringPaths.length]!;
        attacks['oversized strings and totals'] += 1;
        setAt(event, path, 'x'.repeat(size));
        const reply = await deliver(route, event, 'oversized string');
        expect(reply.status).toBe(422);
        expect({ path, named: names(reply, path), reply: reply.body }).toMatchObject({ named: true });
      }),
      { numRuns: 120, seed: FC_SEED },
    );
  });

  it('amounts and totals beyond 10,000,000,000 fen: 422 naming the order items, nothing recorded', async () => {
    const fen = fc.integer({ min: 1, max: 10_000_000_000 });
    const quantity = fc.integer({ min: 1, max: 1_000_000 });
    await fc.assert(
      fc.asyncProperty(fen, quantity, async (payPrice, count) => {
        fc.pre(payPrice * count > 10_000_000_000);
        attacks['oversized strings and totals'] += 1;
        const { orderId, event } = validEvent(PLACED_ROUTE);
        setAt(event, 'order.items[0].payPrice', payPrice);
        setAt(event, 'order.items[0].price', payPrice);
        setAt(event, 'order.items[0].quantity', count);
        const reply = await deliver(PLACED_ROUTE, event, 'oversized total');
        expect(reply.status).toBe(422);
        expect(reply.details.some((d) => d.path.startsWith('order.items'))).toBe(true);
        expect(await stack.service.ledger.get(orderId)).toBeUndefined();
      }),
      { numRuns: 60, seed: FC_SEED },
    );
    // the issue's own: 1000 x 9007199254740991
    attacks['oversized strings and totals'] += 1;
    const { event } = validEvent(PLACED_ROUTE);
    setAt(event, 'order.items[0].quantity', 1000);
    setAt(event, 'order.items[0].payPrice', 9007199254740991);
    expect((await deliver(PLACED_ROUTE, event, 'oversized total')).status).toBe(422);
  });

  it("a merchant eventId that looks like a cashier notify's never makes the notify a duplicate", async () => {
    const shapes = fc.constantFrom(
      (id: string) => `cashier:${id}:2`,
      (id: string) => `CASHIER:${id}:2`,
      (id: string) => `Cashier:${id}:2`,
      (id: string) => `baidu:cashier:${id}:2`,
      (id: string) => `cashier:${id}:2\u0000`,
      (id: string) => `cashier\u200b:${id}:2`,
      (id: string) => `cashier\uff1a${id}:2`,
      (id: string) => ` cashier:${id}:2`,
      (id: string) => `cashier:${id}:2 `,
    );
    await fc.assert(
      fc.asyncProperty(shapes, fc.boolean(), async (shape, asPlaced) => {
        attacks['look-alike eventIds'] += 1;
        // the shadow comes first: as the order-placed itself, or as a later event of a placed order
        const { orderId, event } = validEvent(PLACED_ROUTE);
        const paid = paidFields(orderId, LIFE[0]!.order!.createdAt + 60);
        const eventId = shape(paid.orderId!);
        const openId = (event.order as { openId: string }).openId;
        if (asPlaced) {
          // refused (a reserved prefix, a control character) or recorded under its own, different id
          const reply = await deliver(PLACED_ROUTE, { ...event, eventId }, 'look-alike eventId');
          expect([202, 422]).toContain(reply.status);
          if (reply.status === 422) {
            expect([...new Set(reply.details.map((d) => d.path))]).toEqual(['eventId']);
            expect((await deliver(PLACED_ROUTE, event, 'look-alike eventId')).status).toBe(202);
          }
        } else {
          expect((await deliver(PLACED_ROUTE, event, 'look-alike eventId')).status).toBe(202);
          const completed = { ...validEvent(routeOf('completed')).event, orderId, eventId };
          await deliver(routeOf('completed'), completed, 'look-alike eventId');
        }

        // the genuine notify pays the order
        const reply = await notify(paid, 'look-alike eventId');
        expect(reply.status).toBe(200);
        const item = await stack.service.ledger.get(orderId);
        const cashierFacts = item?.facts.filter((f) => f.source === 'cashier') ?? [];
        expect(cashierFacts.map((f) => f.eventId)).toEqual([`cashier:${paid.orderId}:2`]);
        expect([5, 200]).toContain(shownStatus(orderId, openId));
      }),
      { numRuns: 45, seed: FC_SEED },
    );
  });

  it('unsigned floods and hostile bodies draw short replies: 401 unsigned, at most 20 fields, under 8 KiB', async () => {
    const floods: [string, RouteKey, () => APIGatewayProxyEventV2, number][] = [
      [
        "'%&' x 131,000 (unsigned)",
        CASHIER_ROUTE_KEY,
        () => cashierHttp('%&'.repeat(131_000), FORM_TYPE),
        401,
      ],
      ["'%' x 262,000", CASHIER_ROUTE_KEY, () => cashierHttp('%'.repeat(262_000), FORM_TYPE), 401],
      [
        '20,000 malformed fields',
        CASHIER_ROUTE_KEY,
        () => cashierHttp('a=%ZZ&'.repeat(20_000), FORM_TYPE),
        401,
      ],
      [
        '20,000 distinct fields, unsigned',
        CASHIER_ROUTE_KEY,
        () => cashierHttp(Array.from({ length: 20_000 }, (_, i) => `k${i}=v`).join('&'), FORM_TYPE),
        401,
      ],
      [
        '20,000 duplicated fields',
        CASHIER_ROUTE_KEY,
        () => cashierHttp(Array.from({ length: 20_000 }, (_, i) => `k${i % 10}=v`).join('&'), FORM_TYPE),
        401,
      ],
      [
        'a signed event with 4,000 unknown keys, nested',
        PLACED_ROUTE,
        () => {
          const { event } = validEvent(PLACED_ROUTE);
          const junk = Object.fromEntries(Array.from({ length: 4_000 }, (_, i) => [`\u001b[${i}m`, i]));
          const order = { ...(event.order as object), ...junk };
          return merchantHttp(PLACED_ROUTE, JSON.stringify({ ...event, order, ...junk }), JSON_TYPE);
        },
        422,
      ],
      [
        'a signed event with 5,000 bad items',
        PLACED_ROUTE,
        () => {
          const { event } = validEvent(PLACED_ROUTE);
          const items = Array.from({ length: 5_000 }, () => ({ id: '', name: 1, quantity: -1 }));
          return merchantHttp(
            PLACED_ROUTE,
            JSON.stringify({ ...event, order: { ...(event.order as object), items } }),
            JSON_TYPE,
          );
        },
        422,
      ],
      [
        '250 KiB of JSON with a forged signature',
        PLACED_ROUTE,
        () =>
          httpEvent(PLACED_ROUTE, JSON.stringify({ a: 'x'.repeat(250_000) }), {
            headers: { 'content-type': JSON_TYPE, 'x-signature': `t=${unixNow()},v1=${'0'.repeat(64)}` },
          }),
        401,
      ],
    ];
    for (const [name, route, event, status] of floods) {
      attacks['unsigned or hostile floods'] += 1;
      const reply = await send(route, event(), `flood: ${name}`);
      expectHandled(reply);
      expect({ name, status: reply.status }).toEqual({ name, status });
    }
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
    const ledgerStrays = recorded.filter((id) => !accepted.has(id));
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

  it(`answered nothing larger than ${MAX_REFUSAL_BYTES} bytes`, () => {
    expect(largest.bytes).toBeGreaterThan(0);
    expect(largest.bytes).toBeLessThanOrEqual(MAX_REFUSAL_BYTES);
  });

  it('wrote no secret or signature in any log line', () => {
    const named = new Map([
      ['webhook secret', stack.secrets.webhookSecret],
      ['app secret', stack.secrets.appSecret],
    ]);
    expect(secretsInLogs(logs.lines(), named, signatures)).toEqual([]);
  });
});
