import { createCashierQueryClient } from '../../lib/cashier';
import { parseCashierNotify } from '../../lib/events';
import type { Fact } from '../../lib/events/types';
import { shardOf, DEFAULT_SYNC_SHARDS } from '../../lib/ledger/shard';
import { report, runPaymentChecks, type PaymentCheckDependencies } from '../../lib/reconcile';
import type { ReconcileService } from '../../lib/service';
import { pushOrder } from '../../lib/sync/push';
import { reconcileHandler } from '../../functions/reconcile';
import { reconcileWorkerHandler } from '../../functions/reconcileWorker';
import { paidNotifyFields } from '../../local/cashier';
import { createLedgerTable } from '../../local/dynamo';
import { fact, snapshot, uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';

// CONTRACT section 5c: a paid order whose notify was lost is found by asking the cashier.

const MIN = 60_000;
/** When the orders of these tests were placed (Unix seconds), and the clock the checks run on. */
const PLACED = 1764316000;
const AMOUNT = 2390; // helpers' snapshot: 2390 + 100 fee - 100 coupon
let clock = PLACED * 1000;
const at = (minutes: number) => PLACED * 1000 + minutes * MIN;

let stack: Awaited<ReturnType<typeof startStackForHandlers>>;
let deps: PaymentCheckDependencies;
/** this test's service (its own ledger table); reconcile and its workers are wired to it */
let service: ReconcileService;
const handler = reconcileHandler(() => service);
const worker = reconcileWorkerHandler(() => service);

beforeAll(async () => {
  stack = await startStackForHandlers();
});

afterAll(async () => {
  await stack.stopAndRestore();
});

beforeEach(async () => {
  const ledgerTable = uniqueId('payment-check');
  await createLedgerTable(stack.dynamo.client, ledgerTable);
  stack.orderCenter.reset();
  service = stack.serviceWith({ ledgerTable });
  const now = () => clock;
  const cashier = createCashierQueryClient({
    baseUrl: stack.orderCenter.url,
    tokens: service.tokens,
    pmAppKey: 'local-cashier-app-key',
  });
  deps = { sync: { ...service.sync, now, paymentCheckAfterMinutes: 15 }, cashier };
});

/** An unpaid order placed at PLACED, recorded and pushed (待付款 at the Order Center). */
async function placeOrder(): Promise<string> {
  const orderId = uniqueId('pc');
  clock = at(0);
  await service.ledger.recordFact(
    fact({ orderId, kind: 'placed', occurredAt: PLACED, order: snapshot({ createdAt: PLACED }) }),
  );
  const pushed = await pushOrder(deps.sync, orderId, { deadline: Date.now() + 20_000 });
  expect(pushed.state).toBe('synced');
  return orderId;
}

async function checkAt(minutes: number) {
  clock = at(minutes);
  return runPaymentChecks(deps, {
    shards: Array.from({ length: DEFAULT_SYNC_SHARDS }, (_, s) => s),
    deadline: Date.now() + 30_000,
  });
}

const queriesFor = (orderId: string) =>
  stack.orderCenter.requests.filter((r) => r.call === 'pay/findByTpOrderId' && r.query.tpOrderId === orderId);

describe('the payment check (CONTRACT section 5c)', () => {
  it('finds a paid order whose notify was dropped once the threshold is past, and pays it at the Order Center', async () => {
    // Prepare: the buyer paid; the notify never came
    const orderId = await placeOrder();
    const payment = stack.orderCenter.recordPayment({ tpOrderId: orderId, totalMoney: AMOUNT });

    // Act: a run before the threshold, then one after
    const early = await checkAt(14);
    const late = await checkAt(16);

    // Assess
    expect(early.asked).toBe(0);
    expect(late).toMatchObject({ asked: 1, paid: 1, mismatched: 0 });
    expect(stack.orderCenter.order(orderId)?.data.Status).toBe(5); // 等待卖家发货
    const item = await service.ledger.get(orderId);
    const paid = item?.facts.find((f: Fact) => f.kind === 'paid');
    expect(paid).toMatchObject({
      eventId: `cashier:${payment.orderId}:2`,
      source: 'cashier',
      payment: { amount: AMOUNT, cashierOrderId: payment.orderId },
    });
    expect(item?.syncState).toBe('synced');
    const found = await report(service.ledger, stack.appKey);
    expect(found.paidByQuery.map((p) => p.orderId)).toEqual([orderId]);
    // Asked no more: paid orders leave the index
    expect((await checkAt(61)).asked).toBe(0);
    expect(queriesFor(orderId)).toHaveLength(1);
  });

  it('takes the notify that comes after the query as a duplicate of what the query recorded', async () => {
    // Prepare
    const orderId = await placeOrder();
    const payment = stack.orderCenter.recordPayment({ tpOrderId: orderId, totalMoney: AMOUNT });
    await checkAt(16);

    // Act: Baidu's retry finally gets through, with its own payTime
    const notify = parseCashierNotify(
      paidNotifyFields({
        tpOrderId: orderId,
        cashierOrderId: payment.orderId,
        amount: AMOUNT,
        paidAt: PLACED + 60,
      }),
    );
    const outcome = await service.ledger.recordFact(notify);

    // Assess
    expect(outcome.outcome).toBe('duplicate');
    const item = await service.ledger.get(orderId);
    expect(item?.facts.filter((f) => f.kind === 'paid')).toHaveLength(1);
  });

  it('asks about an unpaid order on the widening schedule, then leaves it alone', async () => {
    // Prepare: the buyer never reached the cashier (10002), then opened it and left it unpaid (status 1)
    const orderId = await placeOrder();
    const asked: number[] = [];

    // Act: a run every few minutes of simulated time, over two days
    for (const minutes of [5, 16, 20, 40, 61, 90, 200, 361, 700, 1441, 2000, 2880]) {
      if (minutes === 200)
        stack.orderCenter.recordPayment({ tpOrderId: orderId, totalMoney: AMOUNT, status: 1 });
      asked.push((await checkAt(minutes)).asked);
    }

    // Assess: asked at 16 min, 61 min, 6 h 1 min and 24 h 1 min, never again; still 待付款
    expect(asked).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0]);
    expect(queriesFor(orderId)).toHaveLength(4);
    expect(stack.orderCenter.order(orderId)?.data.Status).toBe(1);
    const item = await service.ledger.get(orderId);
    expect(item?.paymentChecks).toBe(4);
  });

  it('leaves an anomaly, not a payment, when the cashier answers another amount', async () => {
    // Prepare
    const orderId = await placeOrder();
    stack.orderCenter.recordPayment({ tpOrderId: orderId, totalMoney: AMOUNT - 1 });

    // Act
    const summary = await checkAt(16);

    // Assess
    expect(summary).toMatchObject({ asked: 1, paid: 0, mismatched: 1 });
    expect(stack.orderCenter.order(orderId)?.data.Status).toBe(1);
    const item = await service.ledger.get(orderId);
    expect(item?.anomalies?.map((a) => a.code)).toEqual(['cashier-amount-mismatch']);
  });

  it("keeps the index sharded like the sync queue: only the order's own shard finds it", async () => {
    // Prepare
    const orderId = await placeOrder();
    const own = shardOf(orderId, DEFAULT_SYNC_SHARDS);
    const other = (own + 1) % DEFAULT_SYNC_SHARDS;
    clock = at(16);

    // Act
    const elsewhere = await runPaymentChecks(deps, { shards: [other], deadline: Date.now() + 30_000 });
    const home = await runPaymentChecks(deps, { shards: [own], deadline: Date.now() + 30_000 });

    // Assess
    expect(elsewhere.asked).toBe(0);
    expect(home.asked).toBe(1);
  });

  it('asks nothing without CASHIER_APP_KEY', async () => {
    // Prepare: the service as configured without the cashier appKey
    service = stack.serviceWith({ ledgerTable: service.config.ledgerTable, cashierAppKey: undefined });
    {
      expect(service.cashier).toBeUndefined();
      deps = { sync: { ...service.sync, now: () => clock }, cashier: service.cashier };
      const orderId = await placeOrder();
      stack.orderCenter.recordPayment({ tpOrderId: orderId, totalMoney: AMOUNT });

      // Act
      const summary = await checkAt(16);
      await handler({ shard: shardOf(orderId, DEFAULT_SYNC_SHARDS) }, lambdaContext('reconcile'));

      // Assess
      expect(summary.asked).toBe(0);
      expect(queriesFor(orderId)).toHaveLength(0);
      expect(stack.orderCenter.order(orderId)?.data.Status).toBe(1);
    }
  });

  it("runs in the shard's reconcile worker: an order placed 20 minutes ago and paid without a notify ends paid", async () => {
    // Prepare: the handler reads the real clock
    const orderId = uniqueId('pc-live');
    const placed = Math.floor(Date.now() / 1000) - 20 * 60;
    await service.ledger.recordFact(
      fact({ orderId, kind: 'placed', occurredAt: placed, order: snapshot({ createdAt: placed }) }),
    );
    await pushOrder(service.sync, orderId, { deadline: Date.now() + 20_000 });
    stack.orderCenter.recordPayment({ tpOrderId: orderId, totalMoney: AMOUNT });

    // Act
    const shard = shardOf(orderId, DEFAULT_SYNC_SHARDS);
    const summary = (await worker({ shard }, lambdaContext('reconcileWorker', 60_000))) as {
      paymentChecks?: { paid: number };
    };

    // Assess
    expect(summary.paymentChecks?.paid).toBe(1);
    expect(stack.orderCenter.order(orderId)?.data.Status).toBe(5);
  });
});
