import { execFile } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { signCashierFields, signWebhook, type Fact } from '../../lib/events';
import type { StackResult } from '../../lib/http';
import type { EventService } from '../../lib/service';
import { pushOrder } from '../../lib/sync/push';
import { handler as reconcile } from '../../functions/reconcile';
import { handler as reconcileWorker } from '../../functions/reconcileWorker';
import { handler as rotateToken } from '../../functions/rotateToken';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';
import { startLocalLambda, type LocalLambda } from '../../local/lambda';
import { httpEvent, unixNow } from '../http/helpers';
import {
  CASHIER_FIELD_NAMES,
  CASHIER_ROUTE_KEY,
  cashierNotifyFields,
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
 * Security: requests that are not what their sender signed are refused and leave nothing behind; the
 * deployed IAM policy names exact SSM and DynamoDB resources; no secret reaches a log line.
 */
const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);

const withoutOrderCenterUrl = ({ ORDER_CENTER_BASE_URL: _local, ...env }: NodeJS.ProcessEnv) => env;

type Stack = Awaited<ReturnType<typeof startStackForHandlers>>;

let stack: Stack;
/** the service the handlers use: the stack's, or one with a setting changed for a section */
let changed: EventService | undefined;
const wired = (): EventService => changed ?? stack.service;
const ROUTE_HANDLERS = routeHandlers(wired);
const REFUND_CALLBACK_HANDLERS = refundCallbackHandlers(wired);
let logs: CapturedLogs;
let serial = 0;
const signatures = new Set<string>();
const counts = { tamperedNotifies: 0, badHmacs: 0, refused: 0, recordedFromRefused: 0, iamStatements: 0 };
/** the largest reply any request of this suite drew (issue 20: a 256 KiB post drew 22 MB) */
const issue20 = { largestReply: 0 };

/** Templates: each request takes the fact of its route, under a new order id. */
const LIFE: Fact[] = lifeWithEveryKind('template', 'security-user');

function nextOrderId(): string {
  serial += 1;
  return `sec-${serial}`;
}

async function send(route: RouteKey | RefundCallbackRouteKey, body: string, headers: Record<string, string>) {
  const handler =
    route in REFUND_CALLBACK_HANDLERS
      ? REFUND_CALLBACK_HANDLERS[route as RefundCallbackRouteKey]
      : ROUTE_HANDLERS[route as RouteKey];
  const reply = (await handler(httpEvent(route, body, { headers }), lambdaContext(route))) as StackResult;
  if (!('statusCode' in reply)) throw new Error('not an HTTP reply');
  issue20.largestReply = Math.max(issue20.largestReply, Buffer.byteLength(reply.body));
  return {
    status: reply.statusCode,
    body: JSON.parse(reply.body) as { error?: { code: string; details: { path: string }[] } },
  };
}

async function expectRefusedAndNothingRecorded(
  reply: Awaited<ReturnType<typeof send>>,
  orderId: string,
  field: string,
): Promise<void> {
  if (field === 'rsaSign') counts.tamperedNotifies += 1;
  else counts.badHmacs += 1;
  expect(reply.status).toBe(401);
  expect(reply.body.error?.code).toBe('bad_signature');
  expect(reply.body.error?.details.map((d) => d.path)).toEqual([field]);
  const recorded = await wired().ledger.get(orderId);
  if (recorded) counts.recordedFromRefused += 1;
  expect(recorded).toBeUndefined();
  counts.refused += 1;
}

let lambda: LocalLambda;

beforeAll(async () => {
  stack = await startStackForHandlers();
  // reconcile's coordinator starts its shard workers (reconcileWorker) through the Lambda Invoke API: here, in process.
  lambda = await startLocalLambda({ functions: { reconcileWorker } });
  process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.url;
  logs = captureLogs();
});

afterAll(async () => {
  await lambda.stop();
  delete process.env.AWS_ENDPOINT_URL_LAMBDA;
  logs.restore();
  printCounts('security: tried', {
    'tampered or forged cashier callbacks (notify, refund audit, refund result)': counts.tamperedNotifies,
    'stale, forged or malformed HMACs (all seven merchant routes)': counts.badHmacs,
    'IAM statements on ssm:* or dynamodb:* checked': counts.iamStatements,
    "issue 20's eight attacks, reproduced": 8,
    'log lines scanned for secrets': logs.lines().length,
  });
  printCounts('security: held', {
    refused: counts.refused,
    'recorded from a refused request': counts.recordedFromRefused,
    'largest reply (bytes)': issue20.largestReply,
  });
  await stack.stopAndRestore();
});

describe('a tampered or forged cashier notify', () => {
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

  function notify(): { orderId: string; fields: Record<string, string>; rsaSign: string } {
    const orderId = nextOrderId();
    const snapshot = LIFE[0]!.order!;
    const fields = cashierNotifyFields(orderId, snapshot, snapshot.createdAt + 60);
    const rsaSign = signCashierFields(fields, stack.secrets.cashierPrivateKeyPem);
    signatures.add(rsaSign);
    return { orderId, fields, rsaSign };
  }

  const post = async (fields: Record<string, string>, rsaSign?: string) => {
    const form = new URLSearchParams(rsaSign === undefined ? fields : { ...fields, rsaSign });
    return send(CASHIER_ROUTE_KEY, form.toString(), FORM);
  };

  it('is accepted untouched (the cases below differ from it by one thing)', async () => {
    const { orderId, fields, rsaSign } = notify();
    const reply = await post(fields, rsaSign);
    expect(reply.status).toBe(200);
    expect(await wired().ledger.get(orderId)).toBeDefined();
  });

  it.each(CASHIER_FIELD_NAMES)('is refused when %s is changed after signing', async (field) => {
    const { orderId, fields, rsaSign } = notify();
    const tampered = { ...fields, [field]: field === 'tpOrderId' ? `${orderId}-x` : `${fields[field]}1` };
    await expectRefusedAndNothingRecorded(await post(tampered, rsaSign), orderId, 'rsaSign');
    if (field === 'tpOrderId') expect(await wired().ledger.get(`${orderId}-x`)).toBeUndefined();
  });

  it.each([
    ['carries the rsaSign of another notify', (_own: string, other: string) => other],
    ['has no rsaSign', () => undefined],
    ['has an empty rsaSign', () => ''],
    ['has an rsaSign that is not base64', () => 'not*base64!'],
    ['has its rsaSign cut short', (own: string) => own.slice(0, 100)],
  ])('is refused when it %s', async (_name, signatureOf) => {
    const other = notify().rsaSign;
    const { orderId, fields, rsaSign } = notify();
    await expectRefusedAndNothingRecorded(
      await post(fields, signatureOf(rsaSign, other)),
      orderId,
      'rsaSign',
    );
  });

  it('is refused when signed with a key that is not the platform key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { orderId, fields } = notify();
    const forged = signCashierFields(fields, privateKey);
    signatures.add(forged);
    await expectRefusedAndNothingRecorded(await post(fields, forged), orderId, 'rsaSign');
  });

  it.each([
    ['a field is added after signing', (fields: Record<string, string>) => ({ ...fields, status2: '2' })],
    ['a field is removed after signing', ({ promoDetail: _p, ...fields }: Record<string, string>) => fields],
  ])('is refused when %s', async (_name, change) => {
    const { orderId, fields, rsaSign } = notify();
    await expectRefusedAndNothingRecorded(await post(change(fields), rsaSign), orderId, 'rsaSign');
  });
});

describe.each(REFUND_CALLBACK_ROUTE_KEYS)('a tampered or forged %s', (route) => {
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

  /** A callback with an empty field, signed as Baidu signs: the empty field is covered too. */
  function callback(): { orderId: string; fields: Record<string, string>; rsaSign: string } {
    const orderId = nextOrderId();
    const fields = { ...refundCallbackFields(route, orderId), returnData: '' };
    const rsaSign = signCashierFields(fields, stack.secrets.cashierPrivateKeyPem);
    signatures.add(rsaSign);
    return { orderId, fields, rsaSign };
  }

  const post = async (fields: Record<string, string>, rsaSign?: string) => {
    const form = new URLSearchParams(rsaSign === undefined ? fields : { ...fields, rsaSign });
    return send(route, form.toString(), FORM);
  };

  it('is accepted untouched, and recorded (the cases below differ from it by one thing)', async () => {
    const { orderId, fields, rsaSign } = callback();
    const reply = await post(fields, rsaSign);
    expect(reply.status).toBe(200);
    expect(await wired().ledger.get(orderId)).toBeDefined();
  });

  it.each(Object.keys(refundCallbackFields(route, 'x')))(
    'is refused when %s is changed after signing',
    async (field) => {
      const { orderId, fields, rsaSign } = callback();
      const tampered = { ...fields, [field]: field === 'tpOrderId' ? `${orderId}-x` : `${fields[field]}1` };
      await expectRefusedAndNothingRecorded(await post(tampered, rsaSign), orderId, 'rsaSign');
      if (field === 'tpOrderId') expect(await wired().ledger.get(`${orderId}-x`)).toBeUndefined();
    },
  );

  it('is refused when a signed empty field is dropped', async () => {
    const { orderId, fields, rsaSign } = callback();
    const { returnData: _dropped, ...rest } = fields;
    await expectRefusedAndNothingRecorded(await post(rest, rsaSign), orderId, 'rsaSign');
  });

  it('is refused when signed with a key that is not the platform key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { orderId, fields } = callback();
    const forged = signCashierFields(fields, privateKey);
    signatures.add(forged);
    await expectRefusedAndNothingRecorded(await post(fields, forged), orderId, 'rsaSign');
  });

  it.each([
    ['has no rsaSign', () => undefined],
    ['carries the rsaSign of another callback', () => callback().rsaSign],
  ])('is refused when it %s', async (_name, signatureOf) => {
    const { orderId, fields } = callback();
    await expectRefusedAndNothingRecorded(await post(fields, signatureOf()), orderId, 'rsaSign');
  });
});

describe.each(MERCHANT_ROUTE_KEYS)('%s with a stale or forged X-Signature', (route) => {
  const template = LIFE.find((f) => routeOf(f.kind) === route)!;

  function body(): { orderId: string; body: string } {
    const orderId = nextOrderId();
    return {
      orderId,
      body: JSON.stringify(merchantEvent({ ...template, orderId, eventId: `${orderId}:evt` })),
    };
  }

  const hmacHex = (t: number | string, raw: string, secret: string) =>
    createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');

  const cases: [string, (raw: string, secret: string) => string | undefined][] = [
    ['signed 301 s ago (a replay)', (raw, secret) => signWebhook(raw, secret, unixNow() - 301)],
    ['signed 301 s ahead', (raw, secret) => signWebhook(raw, secret, unixNow() + 301)],
    ['signed a day ago', (raw, secret) => signWebhook(raw, secret, unixNow() - 86_400)],
    ['signed with another secret', (raw) => signWebhook(raw, 'not-the-webhook-secret', unixNow())],
    ['signed over another body', (raw, secret) => signWebhook(`${raw} `, secret, unixNow())],
    [
      'with t changed after signing',
      (raw, secret) => `t=${unixNow() - 1},v1=${hmacHex(unixNow(), raw, secret)}`,
    ],
    ['with v1 cut short', (raw, secret) => signWebhook(raw, secret, unixNow()).slice(0, -2)],
    ['with no v1', () => `t=${unixNow()}`],
    ['with no t', (raw, secret) => `v1=${hmacHex(unixNow(), raw, secret)}`],
    ['with a made-up v1', () => `t=${unixNow()},v1=${'0'.repeat(64)}`],
    ['without the header', () => undefined],
  ];

  it('is accepted when signed right now (the cases below differ from it by one thing)', async () => {
    const { orderId, body: raw } = body();
    const header = signWebhook(raw, stack.secrets.webhookSecret, unixNow());
    signatures.add(header.replace(/^.*v1=/, ''));
    const reply = await send(route, raw, { 'content-type': 'application/json', 'x-signature': header });
    expect(reply.status).toBe(202);
    expect(await wired().ledger.get(orderId)).toBeDefined();
  });

  it.each(cases)('is refused when %s', async (_name, sign) => {
    const { orderId, body: raw } = body();
    const header = sign(raw, stack.secrets.webhookSecret);
    if (header) signatures.add(header.replace(/^.*v1=/, ''));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (header !== undefined) headers['x-signature'] = header;
    await expectRefusedAndNothingRecorded(await send(route, raw, headers), orderId, 'X-Signature');
  });
});

describe('issue 20: the eight attacks that got through the first release', () => {
  const JSON_HEADERS = () => ({ 'content-type': 'application/json' });
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

  /** A merchant event's body and headers, signed now. */
  function signed(event: Record<string, unknown>) {
    const raw = JSON.stringify(event);
    const header = signWebhook(raw, stack.secrets.webhookSecret, unixNow());
    signatures.add(header.replace(/^.*v1=/, ''));
    return { raw, headers: { ...JSON_HEADERS(), 'x-signature': header } };
  }

  function eventOf(kind: Fact['kind'], orderId: string, extra: Record<string, unknown> = {}) {
    const template = LIFE.find((f) => f.kind === kind)!;
    return { ...merchantEvent({ ...template, orderId, eventId: `${orderId}:${kind}` }), ...extra };
  }

  async function merchant(kind: Fact['kind'], orderId: string, extra: Record<string, unknown> = {}) {
    const route = routeOf(kind);
    const { raw, headers } = signed(eventOf(kind, orderId, extra));
    return send(route, raw, headers);
  }

  async function cashier(fields: Record<string, string>) {
    const rsaSign = signCashierFields(fields, stack.secrets.cashierPrivateKeyPem);
    signatures.add(rsaSign);
    return send(CASHIER_ROUTE_KEY, new URLSearchParams({ ...fields, rsaSign }).toString(), FORM);
  }

  const paid = (orderId: string) =>
    cashierNotifyFields(orderId, LIFE[0]!.order!, LIFE[0]!.order!.createdAt + 60);
  const shown = (orderId: string) =>
    stack.orderCenter.order(orderId, LIFE[0]!.order!.openId, stack.appKey)?.data.Status;

  it('1. a cancel notify of another cashier attempt does not close a completed order', async () => {
    const orderId = nextOrderId();
    for (const kind of ['placed'] as const) expect((await merchant(kind, orderId)).status).toBe(202);
    expect((await cashier(paid(orderId))).status).toBe(200);
    for (const kind of ['shipped', 'completed'] as const)
      expect((await merchant(kind, orderId)).status).toBe(202);
    expect(shown(orderId)).toBe(200);
    const cancel = { ...paid(orderId), orderId: '930000002', status: '-1', payTime: '' };
    expect((await cashier(cancel)).status).toBe(200);
    const later = Date.now() + 86_400_000;
    await pushOrder({ ...wired().sync, now: () => later }, orderId, { deadline: later + 5_000 });
    expect(shown(orderId)).toBe(200);
  });

  it('2. a signed order-placed posted to /events/order-closed is refused, and the genuine one then counts', async () => {
    const orderId = nextOrderId();
    const { raw, headers } = signed(eventOf('placed', orderId));
    const replayed = await send(routeOf('closed'), raw, headers);
    expect(replayed.status).toBe(422);
    expect(replayed.body.error?.details.map((d) => d.path)).toEqual(['type']);
    const genuine = await send(routeOf('placed'), raw, headers);
    expect(genuine.status).toBe(202);
    expect(genuine.body).toMatchObject({ duplicate: false });
    expect(shown(orderId)).toBe(1);
  });

  it("3. '%&' x 131072, unsigned, draws one short 401 (it drew 22 MB)", async () => {
    const reply = await send(CASHIER_ROUTE_KEY, '%&'.repeat(131_072), FORM);
    expect(reply.status).toBe(401);
    expect(reply.body.error?.details.map((d) => d.path)).toEqual(['body']);
    expect(issue20.largestReply).toBeLessThanOrEqual(8192);
  });

  it('4. the same orderId with another user is a 409 naming order.openId, and nothing changes', async () => {
    const orderId = nextOrderId();
    expect((await merchant('placed', orderId)).status).toBe(202);
    const order = { ...LIFE[0]!.order!, openId: 'user-b' };
    const reply = await merchant('placed', orderId, { eventId: `${orderId}:user-b`, order });
    expect(reply.status).toBe(409);
    expect(reply.body.error?.details.map((d) => d.path)).toEqual(['order.openId']);
    expect((await wired().ledger.get(orderId))?.facts).toHaveLength(1);
    expect(stack.orderCenter.order(orderId, 'user-b', stack.appKey)).toBeUndefined();
  });

  it('5. quantity 1000 x payPrice 9007199254740991 is refused, naming the order items', async () => {
    const orderId = nextOrderId();
    const item = {
      ...LIFE[0]!.order!.items[0]!,
      quantity: 1000,
      price: 9007199254740991,
      payPrice: 9007199254740991,
    };
    const reply = await merchant('placed', orderId, { order: { ...LIFE[0]!.order!, items: [item] } });
    expect(reply.status).toBe(422);
    expect(reply.body.error?.details.every((d) => d.path.startsWith('order.items'))).toBe(true);
    expect(await wired().ledger.get(orderId)).toBeUndefined();
  });

  it('6. a 204,500-character title is refused, so a payment can always be recorded', async () => {
    const orderId = nextOrderId();
    const reply = await merchant('placed', orderId, {
      order: { ...LIFE[0]!.order!, title: 't'.repeat(204_500) },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error?.details.map((d) => d.path)).toEqual(['order.title']);
  });

  it("7. a merchant eventId shaped like Baidu's notify is refused, and the notify then pays", async () => {
    const orderId = nextOrderId();
    const notify = { ...paid(orderId), orderId: '970000001' };
    const shadow = await merchant('placed', orderId, { eventId: 'cashier:970000001:2' });
    expect(shadow.status).toBe(422);
    expect((await merchant('placed', orderId)).status).toBe(202);
    expect((await cashier(notify)).status).toBe(200);
    expect(shown(orderId)).toBe(5);
  });

  describe('8. with CASHIER_DEAL_ID set', () => {
    beforeAll(() => {
      changed = stack.serviceWith({ cashierDealId: paid('x').dealId });
    });
    afterAll(() => {
      changed = undefined;
    });

    it("a validly signed notify of another shop's dealId pays nothing", async () => {
      const orderId = nextOrderId();
      expect((await merchant('placed', orderId)).status).toBe(202);
      expect((await cashier({ ...paid(orderId), dealId: '470999999' })).status).toBe(200);
      expect(shown(orderId)).toBe(1);
      const item = await wired().ledger.get(orderId);
      expect(item?.anomalies?.map((a) => a.code)).toEqual(['cashier-foreign-deal']);
    });
  });
});

describe('the compiled CloudFormation template', () => {
  interface Statement {
    Effect: string;
    Action: string | string[];
    Resource: unknown;
  }

  let template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'security-package-'));
    try {
      const cli = path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');
      await run(process.execPath, [cli, 'package', '--package', dir], {
        cwd: ROOT,
        // any stage but local needs an AppKey, and refuses the local stand-in this suite's stack points
        // ORDER_CENTER_BASE_URL at (scripts/serverless-operations.cjs)
        env: { ...withoutOrderCenterUrl(process.env), BAIDU_APP_KEY: 'security-test-app-key' },
        maxBuffer: 16 * 1024 * 1024,
      });
      template = JSON.parse(
        readFileSync(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  /** Every IAM statement of the template: inline role policies, policies and managed policies. */
  function statements(): Statement[] {
    return Object.values(template.Resources).flatMap((resource) => {
      const props = resource.Properties ?? {};
      const documents =
        resource.Type === 'AWS::IAM::Role'
          ? ((props.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).map(
              (p) => p.PolicyDocument,
            )
          : resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy'
            ? [props.PolicyDocument as { Statement: Statement[] }]
            : [];
      return documents.flatMap((document) => document.Statement);
    });
  }

  const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
  const touchesSsmOrDynamo = (s: Statement) =>
    actions(s).some((a) => a === '*' || /^(ssm|dynamodb):/i.test(a));

  /** The strings a Resource is made of, through Fn::Join, Fn::Sub and Fn::GetAtt; the last part of a join ends it. */
  function resourceTexts(resource: unknown): string[] {
    if (typeof resource === 'string') return [resource];
    if (Array.isArray(resource)) return resource.flatMap(resourceTexts);
    if (resource && typeof resource === 'object') {
      const record = resource as Record<string, unknown>;
      if ('Fn::Join' in record) {
        const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
        return [parts.map((part) => (typeof part === 'string' ? part : '<ref>')).join(separator)];
      }
      if ('Fn::Sub' in record) return resourceTexts(record['Fn::Sub']);
      if ('Fn::GetAtt' in record || 'Ref' in record) return ['<ref>'];
      return Object.values(record).flatMap(resourceTexts);
    }
    return [];
  }

  it('grants SSM and DynamoDB actions, none of them by wildcard', () => {
    const relevant = statements().filter(touchesSsmOrDynamo);
    counts.iamStatements = relevant.length;
    expect(relevant.length).toBeGreaterThanOrEqual(3);
    for (const statement of relevant) expect(actions(statement).filter((a) => a.includes('*'))).toEqual([]);
  });

  it('names exact resources for them: no "*", no ARN ending in a wildcard', () => {
    const wild = statements()
      .filter(touchesSsmOrDynamo)
      .flatMap((statement) =>
        resourceTexts(statement.Resource).map((text) => ({ actions: actions(statement), text })),
      )
      .filter(({ text }) => text === '*' || text.endsWith('*') || /:\*($|\/)/.test(text));
    expect(wild).toEqual([]);
  });
});

describe('the logs', () => {
  it('hold no secret, access token or signature, also across a reconcile run and a token rotation', async () => {
    // Act: the two scheduled functions, whose work touches the access token and the app secret
    await reconcile({}, lambdaContext('reconcile'));
    await lambda.idle(); // the workers it started
    const oldToken = await wired().tokens.getToken();
    await rotateToken({}, lambdaContext('rotateToken'));
    wired().tokens.invalidate(oldToken);
    const newToken = await wired().tokens.getToken();

    // Assess
    const tokens = new Set([
      oldToken,
      newToken,
      ...stack.orderCenter.requests.map((r) => r.query.access_token),
    ]);
    const values = new Set(signatures);
    for (const token of tokens) if (token) values.add(token).add(token.replace(/^24\./, ''));
    const named = new Map([
      ['webhook secret', stack.secrets.webhookSecret],
      ['app secret', stack.secrets.appSecret],
      ['cashier private key', stack.secrets.cashierPrivateKeyPem.split('\n')[1] ?? ''],
    ]);
    expect(newToken).not.toBe(oldToken);
    expect(logs.lines().length).toBeGreaterThan(counts.refused);
    expect(secretsInLogs(logs.lines(), named, values)).toEqual([]);
  });
});
