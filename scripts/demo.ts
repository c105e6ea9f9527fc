/**
 * `npm run demo`: the service's whole story in under a minute, offline.
 *
 * Starts what `npm start` starts (local/start: dynalite, the SSM stand-in, the local Order Center,
 * serverless-offline), on free ports so it never collides with a running `npm start`. Then it drives three
 * orders through their whole lives over HTTP, with real signatures: a physical one (placed, paid by a
 * cashier notify signed with the stack's demo RSA key, shipped, a return requested and processed, then
 * refunded through Baidu's path: the cashier's refund audit answered approve, the cashier's refund result,
 * completed), a virtual one (placed, paid, fulfilled, refunded in full, closed), and a physical one
 * paid at the cashier whose notify is lost (found by reconcile's payment check, section 5c). It runs
 * reconcile through the Lambda endpoint, reads the Order Center's orders (GET /orders) and prints them as
 * 百度App > 订单 shows them, then checks each against the projection of the facts it sent.
 *
 * Exits 0 only when every order matches; whatever happens, everything it started is stopped.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import {
  computeOrderAmount,
  parseCashierNotify,
  parseMerchantEvent,
  parseRefundAudit,
  parseRefundResult,
  signWebhook,
  type Fact,
  type MerchantEventType,
  type OrderSnapshot,
} from '../lib/events';
import type { MainStatus, SubStatus } from '../lib/order-center/types';
import { project, type Parcel } from '../lib/projection';
import { createDynamoLedger } from '../lib/ledger/dynamo-ledger';
import type { Ledger } from '../lib/ledger/types';
import { paidNotifyFields, refundAuditFields, refundResultFields, signedNotifyForm } from '../local/cashier';
import type { LocalOrderCenter } from '../local/order-center';
import type { RequestLogEntry } from '../local/order-center/server';
import type { StoredOrder } from '../local/order-center/store';
import { comparableOrder, describeOrder, differences } from '../local/start/order-check';
import { startLocalService, type LocalService } from '../local/start/service';

const WATCHDOG_MS = 150_000;
const unixNow = () => Math.floor(Date.now() / 1000);

/** One thing that happens to an order, as its sender sends it. */
type Step =
  | { sender: 'merchant'; type: MerchantEventType; event: Record<string, unknown> }
  | { sender: 'cashier'; fields: Record<string, string> }
  /** Baidu's refund audit, and the answer it must get (docs/contract.md section 5b) */
  | {
      sender: 'cashier-audit';
      fields: Record<string, string>;
      expect: { auditStatus: number; refundPayMoney: number };
    }
  /** Baidu's refund result */
  | { sender: 'cashier-refund'; fields: Record<string, string> }
  /** a payment the cashier took whose notify never came (docs/contract.md section 5c) */
  | { sender: 'cashier-lost'; payment: { tpOrderId: string; orderId: string; totalMoney: number } };

interface DemoOrder {
  label: string;
  orderId: string;
  openId: string;
  steps: Step[];
  /** where the life must end, whatever the projection says; `parcels`: the logistics shown, `Code ID` by Type */
  end: { status: MainStatus; subStatus?: SubStatus; parcels: string[] };
  /** its payment is found by reconcile's payment check, not by a notify */
  paidByQuery?: boolean;
}

/** The form Baidu's cashier posts once a payment went through (docs/contract.md section 5), unsigned. */
function cashierPaid(orderId: string, snapshot: OrderSnapshot, cashierOrderId: string, paidAt: number) {
  const amount = computeOrderAmount(snapshot);
  return paidNotifyFields({ tpOrderId: orderId, cashierOrderId, amount, paidAt, userId: '2389110912' });
}

/**
 * A parcel of fruit: paid through the cashier, shipped, one item returned, then refunded the way Baidu's
 * cashier refunds it: it asks whether to refund (approved, as the merchant's return asks for exactly that),
 * then says the refund succeeded, and the after-sale order shows 退款成功. Then done.
 */
function physicalOrder(start: number): DemoOrder {
  const orderId = '2221554346601';
  const openId = 'k8cxtoSIQ0pLmy5nsMGv0xmFKQ';
  let t = start;
  const at = () => (t += 600);
  const snapshot: OrderSnapshot = {
    openId,
    category: 'physical',
    title: '四川大凉山丑苹果 5斤 + 砀山酥梨 2个',
    createdAt: start,
    items: [
      {
        id: '1014093064',
        name: '四川大凉山丑苹果',
        description: '5斤小果25个左右',
        quantity: 1,
        price: 2490,
        payPrice: 2390,
        images: ['https://img.example-shop.cn/items/1014093064/main.jpeg'],
        sku: [{ name: '规格', value: '5斤小果' }],
        detail: { status: 'linked', name: '商品详情', swan: '/pages/item/item?id=1014093064' },
      },
      { id: '1014093065', name: '砀山酥梨', quantity: 2, price: 500, payPrice: 450 },
    ],
    fees: [{ name: '运费', amount: 100, quantity: 1 }],
    discounts: [{ name: '优惠券使用', amount: 100, quantity: 1 }],
    paymentMethod: 'online',
    detail: { status: 'linked', name: '订单详情', swan: `/pages/order/detail?id=${orderId}` },
    appraise: { status: 'hidden' },
  };
  const refundId = `R${orderId}-1`;
  const refundBatch = {
    tpOrderId: orderId,
    cashierOrderId: '800020601',
    refundBatchId: '152713835601',
    userId: '2389110912',
  };
  const event = (n: number, rest: Record<string, unknown>) => ({
    eventId: `demo-${orderId}-${n}`,
    occurredAt: at(),
    orderId,
    ...rest,
  });
  return {
    label: 'physical order (实物)',
    orderId,
    openId,
    end: { status: 200, subStatus: 402, parcels: ['SFEXPRESS SF1234567890', 'YTO YT7788990011'] },
    steps: [
      {
        sender: 'merchant',
        type: 'order-placed',
        event: { ...event(1, {}), occurredAt: start, order: snapshot },
      },
      { sender: 'cashier', fields: cashierPaid(orderId, snapshot, '800020601', at()) },
      {
        sender: 'merchant',
        type: 'shipped',
        event: event(2, {
          shipment: {
            shippedAt: t,
            carrier: 'SFEXPRESS',
            carrierName: '顺丰速运',
            trackingNo: 'SF1234567890',
          },
        }),
      },
      {
        sender: 'merchant',
        type: 'refund-requested',
        event: event(3, {
          refund: {
            id: refundId,
            type: 'return-and-refund',
            amount: 450,
            items: [{ id: '1014093065', quantity: 1, amount: 450 }],
            createdAt: t,
            detail: { status: 'linked', name: '售后详情', swan: `/pages/refund/detail?id=${refundId}` },
          },
        }),
      },
      {
        sender: 'merchant',
        type: 'refund-updated',
        // the buyer sends the pear back: its parcel shows under the after-sale order (Express.Type 2)
        event: event(4, {
          refund: {
            id: refundId,
            status: 'processing',
            returnShipment: { carrier: 'YTO', trackingNo: 'YT7788990011' },
          },
        }),
      },
      {
        sender: 'cashier-audit',
        fields: refundAuditFields({ ...refundBatch, applyRefundMoney: 450 }),
        expect: { auditStatus: 1, refundPayMoney: 450 },
      },
      { sender: 'cashier-refund', fields: refundResultFields({ ...refundBatch, succeeded: true }) },
      { sender: 'merchant', type: 'order-completed', event: event(6, {}) },
    ],
  };
}

/** A month of video membership: paid through the cashier, fulfilled, refunded in full, so closed. */
function virtualOrder(start: number): DemoOrder {
  const orderId = '2221554346602';
  const openId = 'u5PqT0lDk2VmQe8bNw3XsJrYhA';
  let t = start;
  const at = () => (t += 300);
  const snapshot: OrderSnapshot = {
    openId,
    category: 'virtual',
    title: '视频会员 月卡',
    createdAt: start,
    items: [{ id: 'VIP-M1', name: '视频会员 月卡', quantity: 1, price: 2500, payPrice: 1990 }],
    paymentMethod: 'online',
    detail: { status: 'linked', name: '订单详情', swan: `/pages/order/detail?id=${orderId}` },
  };
  const refundId = `R${orderId}-1`;
  const event = (n: number, rest: Record<string, unknown>) => ({
    eventId: `demo-${orderId}-${n}`,
    occurredAt: at(),
    orderId,
    ...rest,
  });
  return {
    label: 'virtual order (虚拟)',
    orderId,
    openId,
    end: { status: 100, subStatus: 402, parcels: [] },
    steps: [
      {
        sender: 'merchant',
        type: 'order-placed',
        event: { ...event(1, {}), occurredAt: start, order: snapshot },
      },
      { sender: 'cashier', fields: cashierPaid(orderId, snapshot, '800020602', at()) },
      { sender: 'merchant', type: 'shipped', event: event(2, { shipment: { shippedAt: t } }) },
      {
        sender: 'merchant',
        type: 'refund-requested',
        event: event(3, {
          refund: {
            id: refundId,
            type: 'refund-only',
            amount: 1990,
            items: [{ id: 'VIP-M1', quantity: 1, amount: 1990 }],
            createdAt: t,
          },
        }),
      },
      {
        sender: 'merchant',
        type: 'refund-updated',
        event: event(4, { refund: { id: refundId, status: 'refunded' } }),
      },
      { sender: 'merchant', type: 'order-closed', event: event(5, { reason: '已全额退款，订单关闭' }) },
    ],
  };
}

/**
 * A parcel paid at Baidu's cashier whose notify was lost (the service was down for Baidu's three tries):
 * reconcile's payment check asks the cashier (findByTpOrderId) and records the payment as the notify would.
 */
function lostNotifyOrder(start: number): DemoOrder {
  const orderId = '2221554346603';
  const openId = 'u5PqT0lDk2VmQe8bNw3XsJrYhA';
  const snapshot: OrderSnapshot = {
    openId,
    category: 'physical',
    title: '赣南脐橙 5斤',
    createdAt: start,
    items: [{ id: '1014093071', name: '赣南脐橙 5斤', quantity: 1, price: 3990, payPrice: 3590 }],
    paymentMethod: 'online',
  };
  return {
    label: 'physical order, its payment notify lost (支付通知丢失)',
    orderId,
    openId,
    end: { status: 5, parcels: [] },
    paidByQuery: true,
    steps: [
      {
        sender: 'merchant',
        type: 'order-placed',
        event: { eventId: `demo-${orderId}-1`, occurredAt: start, orderId, order: snapshot },
      },
      {
        sender: 'cashier-lost',
        payment: { tpOrderId: orderId, orderId: '800020603', totalMoney: computeOrderAmount(snapshot) },
      },
    ],
  };
}

/** Sends steps the way their senders do, and keeps the facts each one records. */
class Sender {
  readonly facts = new Map<string, Fact[]>();
  private readonly cashierKey: KeyObject;

  constructor(
    private readonly httpApi: string,
    private readonly webhookSecret: string,
    cashierPrivateKeyPem: string,
    /** the stack's ledger: a refund callback's fact holds the time it came and the answer given */
    private readonly ledger: Ledger,
    /** the local cashier (in the local Order Center): what its query answers from */
    private readonly localCashier: Pick<LocalOrderCenter, 'recordPayment'>,
  ) {
    this.cashierKey = createPrivateKey(cashierPrivateKeyPem);
  }

  /** Sends one step; returns what to print, throws when the service did not take it. */
  async send(step: Step): Promise<string> {
    switch (step.sender) {
      case 'merchant':
        return this.merchant(step.type, step.event);
      case 'cashier':
        return this.cashier(step.fields);
      case 'cashier-audit':
        return this.refundAudit(step.fields, step.expect);
      case 'cashier-refund':
        return this.refundResult(step.fields);
      case 'cashier-lost': {
        this.localCashier.recordPayment(step.payment);
        const yuan = (step.payment.totalMoney / 100).toFixed(2);
        return `(cashier) ¥${yuan} paid, cashier order ${step.payment.orderId}; its notify is lost, nothing is posted`;
      }
    }
  }

  /** Keeps the payment reconcile's payment check recorded (its time is the service's); false when none. */
  async keepPaidByQuery(orderId: string): Promise<boolean> {
    const item = await this.ledger.get(orderId);
    const found = item?.facts.filter((fact) => fact.cashier?.via === 'query') ?? [];
    for (const fact of found) this.keep(fact);
    return found.length > 0;
  }

  private async postForm(path: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.httpApi}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: signedNotifyForm(fields, this.cashierKey),
    });
    const reply = await res.text();
    const body = res.status === 200 ? (JSON.parse(reply) as Record<string, unknown>) : {};
    if (body.errno !== 0) throw new Error(`POST ${path}: HTTP ${res.status} ${reply}`);
    return body;
  }

  /** Keeps the facts the service recorded for a refund callback: their time and answer are the service's. */
  private async keepRecorded(orderId: string, kind: Fact['kind'], refundBatchId: string): Promise<void> {
    const item = await this.ledger.get(orderId);
    const recorded = (item?.facts ?? []).filter(
      (fact) => fact.kind === kind && fact.cashierRefund?.refundBatchId === refundBatchId,
    );
    if (recorded.length === 0) throw new Error(`${kind} for batch ${refundBatchId} is not in the ledger`);
    const known = new Set((this.facts.get(orderId) ?? []).map((fact) => fact.eventId));
    for (const fact of recorded) if (!known.has(fact.eventId)) this.keep(fact);
  }

  private async refundAudit(
    fields: Record<string, string>,
    expected: { auditStatus: number; refundPayMoney: number },
  ): Promise<string> {
    const path = '/baidu/refund-audit';
    const body = await this.postForm(path, fields);
    const data = body.data as
      { auditStatus?: number; calculateRes?: { refundPayMoney?: number } } | undefined;
    const got = { auditStatus: data?.auditStatus, refundPayMoney: data?.calculateRes?.refundPayMoney };
    if (got.auditStatus !== expected.auditStatus || got.refundPayMoney !== expected.refundPayMoney) {
      throw new Error(`POST ${path}: answered ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
    }
    const { orderId, asked } = parseRefundAudit(fields);
    await this.keepRecorded(orderId, 'refund-audit', asked.refundBatchId);
    const word = { 1: 'approve', 2: 'reject', 3: 'undecided' }[expected.auditStatus] ?? '?';
    return `POST ${path.padEnd(26)} 200  rsaSign (SHA1withRSA) auditStatus ${expected.auditStatus} (${word}), refundPayMoney ¥${(expected.refundPayMoney / 100).toFixed(2)}`;
  }

  private async refundResult(fields: Record<string, string>): Promise<string> {
    const path = '/baidu/refund-notify';
    await this.postForm(path, fields);
    const fact = parseRefundResult(fields);
    await this.keepRecorded(fact.orderId, 'refund-result', fields.refundBatchId ?? '');
    const outcome = fields.refundStatus === '1' ? 'refund succeeded' : 'refund failed';
    return `POST ${path.padEnd(26)} 200  rsaSign (SHA1withRSA) errno 0, ${outcome}`;
  }

  private keep(fact: Fact): void {
    const list = this.facts.get(fact.orderId) ?? [];
    list.push(fact);
    this.facts.set(fact.orderId, list);
  }

  private async merchant(type: MerchantEventType, event: Record<string, unknown>): Promise<string> {
    // The body names its type: the signature covers the body, not the route it is posted to.
    const body = JSON.stringify({ type, ...event });
    const path = `/events/${type}`;
    const res = await fetch(`${this.httpApi}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': signWebhook(body, this.webhookSecret, unixNow()),
      },
      body,
    });
    const reply = await res.text();
    if (res.status !== 202) throw new Error(`POST ${path}: HTTP ${res.status} ${reply}`);
    this.keep(parseMerchantEvent(type, event));
    const { sync } = JSON.parse(reply) as { sync?: string };
    return `POST ${path.padEnd(26)} ${res.status}  X-Signature (HMAC)   sync ${sync ?? '?'}`;
  }

  private async cashier(fields: Record<string, string>): Promise<string> {
    const path = '/baidu/payment-notify';
    await this.postForm(path, fields);
    this.keep(parseCashierNotify(fields));
    return `POST ${path.padEnd(26)} 200  rsaSign (SHA1withRSA) errno 0, ¥${(Number(fields.totalMoney) / 100).toFixed(2)} paid`;
  }
}

interface OrderVerdict {
  orderId: string;
  problems: string[];
}

/** Compares the Order Center's copy of an order with the projection of the facts sent for it. */
function verdict(
  order: DemoOrder,
  facts: readonly Fact[],
  stored: StoredOrder[],
  requests: RequestLogEntry[],
  appKey: string,
): OrderVerdict {
  const projection = project(order.orderId, facts, { bizAppId: appKey });
  if (!projection.ready)
    return { orderId: order.orderId, problems: ['the facts sent hold no order snapshot'] };
  const { view } = projection;
  const found = stored.find(
    (o) => o.data.ResourceID === order.orderId && o.openId === view.openId && o.data.BizAPPID === appKey,
  );
  if (!found) return { orderId: order.orderId, problems: ['not in the Order Center'] };
  const problems = differences(comparableOrder(found.data), comparableOrder(view.data)).map(
    (d) => `Order Center ≠ projection at ${d}`,
  );
  problems.push(...view.anomalies.map((a) => `anomaly in the facts: ${JSON.stringify(a)}`));
  problems.push(...parcelProblems(order, found, view.logistics, requests));
  if (view.data.Status !== order.end.status) {
    problems.push(
      `the projection ends at Status ${view.data.Status}, the demo's story at ${order.end.status}`,
    );
  }
  if (view.data.EXT.SubsOrder?.Status !== order.end.subStatus) {
    problems.push(
      `the projection's SubsOrder.Status is ${String(view.data.EXT.SubsOrder?.Status)}, the story's ${order.end.subStatus}`,
    );
  }
  return { orderId: order.orderId, problems };
}

/** Waits until a dry run finds nothing due: the workers reconcile started have pushed (or given up on) all. */
async function drained(service: LocalService, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const page = (await service.invoke('reconcile', { dryRun: true })) as {
      orders: unknown[];
      cursor?: string;
    };
    if (page.orders.length === 0 && page.cursor === undefined) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until the payment check recorded the order's payment (a worker asked the cashier); false on timeout. */
async function paidByQuery(sender: Sender, orderId: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!(await sender.keepPaidByQuery(orderId))) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return true;
}

/**
 * The parcels: the Order Center shows the projection's and the story's, and each distinct parcel went out
 * in exactly one accepted add/main/logistics (CONTRACT section 4: once it exists, and whenever it changes).
 */
function parcelProblems(
  order: DemoOrder,
  found: StoredOrder,
  wanted: readonly Parcel[],
  requests: RequestLogEntry[],
): string[] {
  const problems = differences(
    found.logistics,
    wanted.map((p) => p.express),
  ).map((d) => `Order Center logistics ≠ projection at ${d}`);
  const shown = found.logistics.map((p) => `${p.Code} ${p.ID}`);
  if (shown.join(', ') !== order.end.parcels.join(', '))
    problems.push(
      `the Order Center shows parcels [${shown.join(', ')}], the story [${order.end.parcels.join(', ')}]`,
    );
  const sent = new Map<string, number>();
  for (const request of requests) {
    if (request.call !== 'add/main/logistics' || request.status !== 200) continue;
    if ((request.reply as { errno?: unknown } | null)?.errno !== 0) continue;
    const item = (
      request.body as { Data: { ResourceID: string; EXT: { MainOrder: { Express: unknown } } }[] }
    ).Data[0];
    if (item?.ResourceID !== order.orderId) continue;
    const key = JSON.stringify(item.EXT.MainOrder.Express);
    sent.set(key, (sent.get(key) ?? 0) + 1);
  }
  for (const [parcel, times] of sent)
    if (times !== 1) problems.push(`add/main/logistics sent ${parcel} ${times} times, not once`);
  if (sent.size !== order.end.parcels.length)
    problems.push(
      `${sent.size} distinct parcels sent with add/main/logistics, the story has ${order.end.parcels.length}`,
    );
  return problems;
}

async function runDemo(service: LocalService): Promise<boolean> {
  const { urls, stack } = service;
  console.log(`  HTTP API ${urls.httpApi} · Lambda ${urls.lambda} · Order Center ${urls.orderCenter}/\n`);
  const start = unixNow() - 4 * 3600;
  const orders = [physicalOrder(start), virtualOrder(start + 60), lostNotifyOrder(start + 120)];
  const ledger = createDynamoLedger({ client: stack.dynamo.client, tableName: stack.tableName });
  const sender = new Sender(
    urls.httpApi,
    stack.secrets.webhookSecret,
    stack.secrets.cashierPrivateKeyPem,
    ledger,
    stack.orderCenter,
  );
  for (const order of orders) {
    console.log(`${order.label} ${order.orderId}`);
    for (const step of order.steps) console.log(`  ${await sender.send(step)}`);
    console.log('');
  }

  // The schedule's reconcile: a coordinator that starts one worker per shard (async invokes) and returns.
  const started = (await service.invoke('reconcile', {})) as { started: number[]; failed: unknown[] };
  console.log(
    `reconcile {} (through the Lambda endpoint): started ${started.started.length} shard workers, ${started.failed.length} failed to start`,
  );
  const empty = await drained(service, 60_000);
  console.log(`  nothing left due: ${empty ? 'yes' : 'NO, still due after 60 s'}\n`);
  // The shards' workers ask the cashier about payments due for a check after their drain (section 5c).
  const lost: string[] = [];
  for (const order of orders.filter((o) => o.paidByQuery)) {
    if (!(await paidByQuery(sender, order.orderId, 60_000))) lost.push(order.orderId);
  }
  if (lost.length === 0) await drained(service, 60_000);

  const res = await fetch(`${urls.orderCenter}/orders`);
  if (res.status !== 200) throw new Error(`GET ${urls.orderCenter}/orders: HTTP ${res.status}`);
  const stored = (await res.json()) as StoredOrder[];
  const log = await fetch(`${urls.orderCenter}/requests`);
  if (log.status !== 200) throw new Error(`GET ${urls.orderCenter}/requests: HTTP ${log.status}`);
  const requests = (await log.json()) as RequestLogEntry[];
  console.log(`The Order Center (GET /orders), as 百度App > 订单 shows it: ${stored.length} orders`);
  for (const order of stored)
    console.log(
      describeOrder(order)
        .map((line) => `  ${line}`)
        .join('\n'),
    );
  console.log('');

  console.log('Each order against the projection of the facts the demo sent:');
  const verdicts = orders.map((order) =>
    verdict(order, sender.facts.get(order.orderId) ?? [], stored, requests, stack.appKey),
  );
  for (const { orderId, problems } of verdicts) {
    console.log(`  ${problems.length === 0 ? 'PASS' : 'FAIL'} ${orderId}`);
    for (const problem of problems) console.log(`       ${problem}`);
  }
  for (const orderId of lost) console.log(`  FAIL ${orderId}: the payment check found no payment`);
  if (lost.length > 0) return false;
  if (stored.length !== orders.length) {
    console.log(`  FAIL the Order Center holds ${stored.length} orders, the demo sent ${orders.length}`);
    return false;
  }
  return verdicts.every((v) => v.problems.length === 0);
}

async function main(): Promise<number> {
  const began = Date.now();
  // Set once the stack answers; a signal before that only has to exit (startOffline kills its group on exit).
  const running: { service?: LocalService } = {};
  let stopping = false;
  const stopAndExit = (code: number) => {
    stopping = true;
    if (!running.service) process.exit(code);
    void running.service.stop().finally(() => process.exit(code));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      console.error(`\n${signal}: stopping the demo's stack`);
      stopAndExit(130);
    });
  }
  const watchdog = setTimeout(() => {
    console.error(`demo: FAIL, still running after ${WATCHDOG_MS / 1000} s`);
    stopAndExit(1);
  }, WATCHDOG_MS);

  console.log('swan-order-sync demo: three orders through their lives, over HTTP, against the local stack\n');
  console.log(
    'Starting dynalite, the SSM stand-in, the local Order Center and serverless-offline (free ports)...',
  );
  // Its own bundle folder: a running `npm start` (.esbuild-local) and the demo never share one.
  const service = await startLocalService({ reconcileEveryMinutes: false, workFolder: '.esbuild-demo' });
  running.service = service;
  console.log(`  ready in ${((Date.now() - began) / 1000).toFixed(1)} s`);

  let passed = false;
  try {
    passed = await runDemo(service);
  } catch (err) {
    console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(watchdog);
    if (!passed) {
      const tail = service.offline.output().trim().split('\n').slice(-60).join('\n');
      console.error(`\nserverless-offline's last output:\n${tail}`);
    }
    stopping = true;
    await service.stop();
  }
  const took = ((Date.now() - began) / 1000).toFixed(1);
  console.log(`\ndemo: ${passed ? 'PASS' : 'FAIL'} in ${took} s; everything it started is stopped`);
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
