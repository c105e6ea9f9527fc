import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  computeOrderAmount,
  parseCashierNotify,
  parseMerchantEvent,
  type OrderSnapshot,
} from '../../lib/events';
import type { StackResult } from '../../lib/http';
import { DEFAULT_SYNC_SHARDS } from '../../lib/ledger/shard';
import {
  runPaymentChecks,
  runReconcile,
  type PaymentCheckDependencies,
  type PaymentCheckSummary,
} from '../../lib/reconcile';
import { DEFAULT_BACKOFF } from '../../lib/sync/backoff';
import { createCashierQueryClient } from '../../lib/cashier';
import { paidNotifyFields, signedNotifyForm } from '../../local/cashier';
import { localCashierOrderId } from '../../local/cashier-cli';
import { lambdaContext } from '../helpers/lambda';
import { seeded, shuffle } from '../helpers/lifecycles';
import { startStackForHandlers } from '../helpers/stack';
import { deliveryEvent, merchantEvent, type Delivery } from './deliveries';
import { routeHandlers } from './handlers';
import { printCounts } from './logs';

/**
 * Lost notifies (CONTRACT section 5c): 300 orders placed through the real handlers while the Order Center
 * fails a fifth of its calls; two in three are paid at Baidu's cashier, and a third of those payments'
 * notifies never arrive (the service was down for Baidu's three tries). Reconcile then runs with its
 * payment checks at 16 min, 1 h, 6 h, 24 h and 2 days after the orders were placed (an injected clock),
 * and some of the lost notifies finally get through afterwards. Every paid order must end paid at the
 * Order Center, every unpaid one still 待付款, nothing recorded twice, and the unpaid ones asked about a
 * few times each, then left alone.
 */
const ORDERS = 300;
const SEED = 20_261_130;
const DROP_SHARE = 0.3;
const FAULTS = { http5xxRate: 0.15, busyRate: 0.05 };
const BACKOFF = { ...DEFAULT_BACKOFF, baseMs: 5, maxMs: 100 };
const CHECK_MINUTES = [16, 61, 361, 1441, 2880];
const MAX_RECONCILE_RUNS = 30;

let stack: Awaited<ReturnType<typeof startStackForHandlers>>;
const ROUTE_HANDLERS = routeHandlers(() => stack.service);
let deps: PaymentCheckDependencies;
let placedAt = 0;
let clock = 0;
const paid = new Set<string>();
const unpaid = new Set<string>();
const dropped = new Set<string>();
const late = new Set<string>();
const replies = new Map<number, number>();
const checks: PaymentCheckSummary[] = [];
let stillDue = 0;

function snapshotOf(i: number): OrderSnapshot {
  return {
    openId: `lost-user-${i % 40}`,
    category: i % 4 === 0 ? 'virtual' : 'physical',
    title: `order ${i}`,
    createdAt: placedAt,
    items: [{ id: 'sku-1', name: 'apples', quantity: 1 + (i % 3), price: 1200, payPrice: 990 }],
    paymentMethod: 'online',
  };
}

function placedDelivery(orderId: string, order: OrderSnapshot): Delivery {
  const fact = {
    eventId: `${orderId}:placed`,
    kind: 'placed' as const,
    source: 'merchant' as const,
    orderId,
    occurredAt: placedAt,
    order,
  };
  const event = merchantEvent(fact);
  return {
    route: 'POST /events/order-placed',
    orderId,
    body: JSON.stringify(event),
    signedBy: 'merchant',
    fact: parseMerchantEvent('order-placed', event),
  };
}

function notifyDelivery(orderId: string, order: OrderSnapshot): Delivery {
  const fields = paidNotifyFields({
    tpOrderId: orderId,
    cashierOrderId: localCashierOrderId(orderId),
    amount: computeOrderAmount(order),
    paidAt: placedAt + 60,
  });
  return {
    route: 'POST /baidu/payment-notify',
    orderId,
    body: signedNotifyForm(fields, stack.secrets.cashierPrivateKeyPem),
    signedBy: 'cashier',
    fact: parseCashierNotify(fields),
  };
}

async function deliver(delivery: Delivery): Promise<void> {
  const event: APIGatewayProxyEventV2 = deliveryEvent(delivery, stack.secrets.webhookSecret);
  const reply = (await ROUTE_HANDLERS[delivery.route](event, lambdaContext(delivery.route))) as StackResult;
  const status = 'statusCode' in reply ? reply.statusCode : -1;
  replies.set(status, (replies.get(status) ?? 0) + 1);
}

async function sendAll(deliveries: readonly Delivery[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < deliveries.length) await deliver(deliveries[next++]!);
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function anythingLeft(): Promise<number> {
  const { ledger } = stack.service;
  const queues = ['pending', 'failed', 'dead', 'waiting'] as const;
  const pages = await Promise.all(queues.map((queue) => ledger.queryQueue(queue, { limit: 1000 })));
  return pages.reduce((n, page) => n + page.entries.length, 0);
}

async function reconcileUntilDone(): Promise<void> {
  for (let run = 0; run < MAX_RECONCILE_RUNS; run++) {
    // Deadlines on the run's own clock, as the handler's are on the Lambda's.
    await runReconcile(deps.sync, { deadline: clock + 120_000, concurrency: 16 });
    stillDue = await anythingLeft();
    if (stillDue === 0) return;
    clock += BACKOFF.maxMs;
    await new Promise((resolve) => setTimeout(resolve, BACKOFF.maxMs));
  }
}

const queries = () => stack.orderCenter.requests.filter((r) => r.call === 'pay/findByTpOrderId');
const queriesOf = (ids: Set<string>) => queries().filter((r) => ids.has(r.query.tpOrderId ?? '')).length;
const statusOf = (orderId: string) => stack.orderCenter.order(orderId)?.data.Status;
const paidStatus = (i: number) => (i % 4 === 0 ? 2 : 5);

beforeAll(async () => {
  stack = await startStackForHandlers();
  // Prepare
  placedAt = Math.floor(Date.now() / 1000) - 5;
  clock = placedAt * 1000;
  const service = stack.service;
  service.sync.backoff = BACKOFF;
  deps = {
    sync: { ...service.sync, now: () => clock },
    cashier: createCashierQueryClient({
      baseUrl: stack.orderCenter.url,
      tokens: service.tokens,
      pmAppKey: stack.env.CASHIER_APP_KEY as string,
    }),
  };
  const random = seeded(SEED);
  const deliveries: Delivery[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const orderId = `lost-${i}`;
    const order = snapshotOf(i);
    deliveries.push(placedDelivery(orderId, order));
    if (i % 3 === 2) {
      unpaid.add(orderId);
      continue;
    }
    paid.add(orderId);
    stack.orderCenter.recordPayment({
      tpOrderId: orderId,
      orderId: localCashierOrderId(orderId),
      totalMoney: computeOrderAmount(order),
    });
    if (random() < DROP_SHARE) {
      dropped.add(orderId);
      if (random() < 0.5) late.add(orderId);
    } else deliveries.push(notifyDelivery(orderId, order));
  }
  stack.orderCenter.setFaults({ ...FAULTS, random: seeded(SEED + 1) });

  // Act: the day's traffic, then reconcile with its payment checks as time passes
  await sendAll(shuffle(deliveries, random));
  clock = Date.now();
  await reconcileUntilDone();
  for (const minutes of CHECK_MINUTES) {
    clock = Math.max(clock, placedAt * 1000 + minutes * 60_000);
    checks.push(
      await runPaymentChecks(deps, {
        shards: Array.from({ length: DEFAULT_SYNC_SHARDS }, (_, s) => s),
        deadline: clock + 120_000,
      }),
    );
    await reconcileUntilDone();
  }
  // Baidu's last retries of some lost notifies get through after all
  await sendAll([...late].map((orderId) => notifyDelivery(orderId, snapshotOf(Number(orderId.slice(5))))));
  clock = Math.max(clock, Date.now());
  await reconcileUntilDone();
  stack.orderCenter.resetFaults();
}, 280_000);

afterAll(async () => {
  const asked = checks.reduce((n, c) => n + c.asked, 0);
  printCounts('lost notifies: tried', {
    orders: ORDERS,
    'paid at the cashier': paid.size,
    'their notifies dropped': dropped.size,
    'dropped notifies that came late, after the query': late.size,
    'unpaid orders': unpaid.size,
    'replies by status': [...replies].map(([status, n]) => `${status}: ${n}`).join(', '),
    'payment check runs (16 min, 1 h, 6 h, 24 h, 2 days)': checks.length,
    'orders asked, all runs': asked,
    'found paid by the query': checks.reduce((n, c) => n + c.paid, 0),
    'queries per unpaid order': (queriesOf(unpaid) / unpaid.size).toFixed(2),
    'queries per order whose notify came': (
      queriesOf(new Set([...paid].filter((id) => !dropped.has(id)))) /
      (paid.size - dropped.size)
    ).toFixed(2),
    'queries per order whose notify was lost': (queriesOf(dropped) / dropped.size).toFixed(2),
  });
  await stack.stopAndRestore();
});

describe('lost payment notifies: a third of the cashier notifies never arrive', () => {
  it('answered every delivery as recorded, never 5xx', () => {
    expect([...replies.keys()].every((status) => status === 200 || status === 202)).toBe(true);
    expect(dropped.size).toBeGreaterThan(20);
  });

  it('ends every paid order paid at the Order Center, the lost notifies found by the query', () => {
    const notPaid = [...paid].filter((id) => statusOf(id) !== paidStatus(Number(id.slice(5))));
    expect(notPaid).toEqual([]);
    expect(checks.reduce((n, c) => n + c.paid, 0)).toBe(dropped.size);
  });

  it('leaves every unpaid order 待付款, and nothing due', () => {
    expect([...unpaid].filter((id) => statusOf(id) !== 1)).toEqual([]);
    expect(stillDue).toBe(0);
  });

  it('recorded each payment once: a late notify is a duplicate of the query, no anomaly, no conflict', async () => {
    const { ledger } = stack.service;
    expect((await ledger.listAnomalies()).orders).toEqual([]);
    for (const orderId of late) {
      const item = await ledger.get(orderId);
      expect(item?.facts.filter((f) => f.kind === 'paid')).toHaveLength(1);
    }
    expect((await ledger.listPaidByQuery()).map((p) => p.orderId).sort()).toEqual([...dropped].sort());
  });

  it('asked each unpaid order on the schedule only (4 times in two days), and never an order whose notify came', () => {
    expect(queriesOf(unpaid)).toBe(unpaid.size * 4);
    expect(queriesOf(new Set([...paid].filter((id) => !dropped.has(id))))).toBe(0);
    expect(queriesOf(dropped)).toBe(dropped.size);
  });
});
