import { GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { reconcileHandler } from '../../functions/reconcile';
import { reconcileWorkerHandler } from '../../functions/reconcileWorker';
import type { CashierQueryClient } from '../../lib/cashier/client';
import type { PaymentCheckIndex } from '../../lib/config';
import { DEFAULT_SYNC_SHARDS, shardOf } from '../../lib/ledger/shard';
import { paymentCheckCashier, runPaymentChecks } from '../../lib/reconcile';
import type { ReconcileService } from '../../lib/service';
import { pushOrder } from '../../lib/sync/push';
import { createLedgerTable, ledgerTableDefinition } from '../../local/dynamo';
import { fact, snapshot, uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';

// The upgrade from the first release (README: "Upgrading from the first release"): the first of two deploys
// leaves the byPaymentCheck index out (paymentCheckIndex=deferred, PAYMENT_CHECK_INDEX=deferred).

describe('who asks the cashier about payment checks', () => {
  const cashier = { findByTpOrderId: jest.fn() } as unknown as CashierQueryClient;

  it.each<[string, CashierQueryClient | undefined, PaymentCheckIndex, CashierQueryClient | undefined]>([
    ['the cashier with the index deployed', cashier, 'on', cashier],
    ['nobody while the index is deferred', cashier, 'deferred', undefined],
    ['nobody without CASHIER_APP_KEY', undefined, 'on', undefined],
    ['nobody without CASHIER_APP_KEY, index deferred', undefined, 'deferred', undefined],
  ])('%s', (_label, given, index, expected) => {
    expect(paymentCheckCashier(given, index)).toBe(expected);
  });
});

describe('the table of the first upgrade deploy', () => {
  it('has the sync queue indexes but neither byPaymentCheck nor its key attributes', () => {
    const deferred = ledgerTableDefinition('t', undefined, { HasPaymentCheckIndex: false });
    const full = ledgerTableDefinition('t');
    const indexes = (table: typeof full) => table.GlobalSecondaryIndexes?.map((index) => index.IndexName);
    const attributes = (table: typeof full) => table.AttributeDefinitions?.map((a) => a.AttributeName);

    expect(indexes(full)).toEqual(['byQueueShard', 'bySyncQueue', 'byPaymentCheck']);
    expect(indexes(deferred)).toEqual(['byQueueShard', 'bySyncQueue']);
    expect(attributes(full)).toEqual(expect.arrayContaining(['checkShard', 'checkDueAt']));
    expect(attributes(deferred)).toEqual(['orderId', 'queueShard', 'syncQueue', 'nextAttemptAt']);
  });
});

describe('reconcile with the payment check index deferred', () => {
  let stack: Awaited<ReturnType<typeof startStackForHandlers>>;
  /** this test's service: its own ledger table, PAYMENT_CHECK_INDEX as the deploy sets it */
  let service: ReconcileService;
  const handler = reconcileHandler(() => service);
  const worker = reconcileWorkerHandler(() => service);
  const AMOUNT = 2390; // helpers' snapshot: 2390 + 100 fee - 100 coupon

  beforeAll(async () => {
    stack = await startStackForHandlers();
  });

  afterAll(async () => {
    await stack.stopAndRestore();
  });

  beforeEach(async () => {
    // The first deploy's table and configuration
    const ledgerTable = uniqueId('deferred');
    await createLedgerTable(stack.dynamo.client, ledgerTable, { HasPaymentCheckIndex: false });
    service = stack.serviceWith({ ledgerTable, paymentCheckIndex: 'deferred' });
    stack.orderCenter.reset();
  });

  const queriesFor = (orderId: string) =>
    stack.orderCenter.requests.filter(
      (r) => r.call === 'pay/findByTpOrderId' && r.query.tpOrderId === orderId,
    );

  /** An order placed 20 minutes ago (past the check's threshold), pushed, paid without a notify. */
  async function unpaidOrderWithLostNotify(): Promise<string> {
    const orderId = uniqueId('deferred-order');
    const placed = Math.floor(Date.now() / 1000) - 20 * 60;
    await service.ledger.recordFact(
      fact({ orderId, kind: 'placed', occurredAt: placed, order: snapshot({ createdAt: placed }) }),
    );
    const pushed = await pushOrder(service.sync, orderId, { deadline: Date.now() + 20_000 });
    expect(pushed.state).toBe('synced');
    stack.orderCenter.recordPayment({ tpOrderId: orderId, totalMoney: AMOUNT });
    return orderId;
  }

  it('keeps the check fields, asks nobody, and the check finds the lost payment once the index exists', async () => {
    // Prepare
    const orderId = await unpaidOrderWithLostNotify();
    const shard = shardOf(orderId, DEFAULT_SYNC_SHARDS);
    expect(service.config.paymentCheckIndex).toBe('deferred');
    expect(service.cashier).toBeDefined();

    // Querying the missing index fails: this is what the gate keeps the workers from
    await expect(
      runPaymentChecks(
        { sync: service.sync, cashier: service.cashier },
        { shards: [shard], deadline: Date.now() + 30_000 },
      ),
    ).rejects.toThrow();

    // Act: the shard's worker, and reconcile running that shard, as scheduled
    const first = (await worker({ shard }, lambdaContext('reconcileWorker', 60_000))) as {
      paymentChecks?: unknown;
    };
    const direct = (await handler({ shard }, lambdaContext('reconcile', 60_000))) as {
      paymentChecks?: unknown;
    };

    // Assess: nothing asked, the order still 待付款, its place in the future index kept in the item
    expect(first.paymentChecks).toBeUndefined();
    expect(direct.paymentChecks).toBeUndefined();
    expect(queriesFor(orderId)).toHaveLength(0);
    expect(stack.orderCenter.order(orderId)?.data.Status).toBe(1);
    const raw = await stack.dynamo.client.send(
      new GetItemCommand({ TableName: service.config.ledgerTable, Key: { orderId: { S: orderId } } }),
    );
    expect(raw.Item?.checkShard).toEqual({ S: `check#${shard}` });
    expect(Number(raw.Item?.checkDueAt?.N)).toBeGreaterThan(0);

    // Act: the second deploy. DynamoDB builds the new index from the items already in the table; here the
    // items go into a table declared with the index, which indexes them the same way.
    const upgraded = uniqueId('upgraded');
    await createLedgerTable(stack.dynamo.client, upgraded);
    const items = await stack.dynamo.client.send(new ScanCommand({ TableName: service.config.ledgerTable }));
    for (const item of items.Items ?? [])
      await stack.dynamo.client.send(new PutItemCommand({ TableName: upgraded, Item: item }));
    service = stack.serviceWith({ ledgerTable: upgraded, paymentCheckIndex: 'on' });
    const second = (await worker({ shard }, lambdaContext('reconcileWorker', 60_000))) as {
      paymentChecks?: { asked: number; paid: number };
    };

    // Assess: the check nobody made meanwhile is made now, and the lost payment is found
    expect(second.paymentChecks).toMatchObject({ asked: 1, paid: 1 });
    expect(queriesFor(orderId)).toHaveLength(1);
    expect(stack.orderCenter.order(orderId)?.data.Status).toBe(5); // 等待卖家发货
  });
});
