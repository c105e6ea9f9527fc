import type { Fact, ShipmentInput } from '../../lib/events/types';
import { createDynamoLedger } from '../../lib/ledger/dynamo-ledger';
import type { Ledger } from '../../lib/ledger/types';
import { createOrderCenterClient } from '../../lib/order-center/client';
import { report, runReconcile } from '../../lib/reconcile';
import { pushOrder, type SyncDependencies } from '../../lib/sync/push';
import { createLedgerTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamo';
import { startLocalOrderCenter, type LocalOrderCenter } from '../../local/order-center';
import { mismatches } from '../helpers/convergence';
import { uniqueId } from '../helpers/facts';
import { localTokens } from '../helpers/order-center';

/**
 * add/main/logistics in the push (docs/contract.md section 4), against dynalite and the local Order Center:
 * sent once the order exists and whenever its parcel changes; a parcel Baidu refuses fails alone.
 */

const APP_KEY = 'logistics-test-app';
const T = 1_764_316_000;

let dynamo: LocalDynamo;
let oc: LocalOrderCenter;
let ledger: Ledger;
let deps: SyncDependencies;
const tableName = uniqueId('logistics');

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await createLedgerTable(dynamo.client, tableName);
  ledger = createDynamoLedger({ client: dynamo.client, tableName });
  oc = await startLocalOrderCenter({ apps: [{ appKey: APP_KEY, appSecret: 'secret' }] });
});

afterAll(async () => {
  await Promise.all([dynamo.stop(), oc.stop()]);
});

beforeEach(() => {
  oc.reset();
  const client = createOrderCenterClient({
    baseUrl: oc.url,
    tokens: localTokens(oc, APP_KEY),
    callTimeoutMs: 1_000,
    baseDelayMs: 2,
    maxDelayMs: 10,
  });
  deps = { ledger, client, bizAppId: APP_KEY, random: () => 0.5 };
});

/** One physical order's facts, built in the order they happen. */
function story() {
  const orderId = uniqueId('order');
  const openId = `user-${orderId}`;
  let n = 0;
  const fact = (kind: Fact['kind'], extra: Partial<Fact> = {}): Fact => ({
    eventId: `${orderId}-${++n}-${kind}`,
    kind,
    source: 'merchant',
    orderId,
    occurredAt: T + n * 60,
    ...extra,
  });
  return {
    orderId,
    openId,
    placed: () =>
      fact('placed', {
        order: {
          openId,
          category: 'physical',
          title: '四川大凉山丑苹果 5斤',
          createdAt: T,
          items: [{ id: 'P1', name: '丑苹果', quantity: 1, price: 2390, payPrice: 2390 }],
          paymentMethod: 'online',
        },
      }),
    paid: () => fact('paid', { payment: { paidAt: T + 30 } }),
    shipped: (shipment: ShipmentInput = {}) =>
      fact('shipped', { shipment: { shippedAt: T + 60, ...shipment } }),
    refundRequested: () =>
      fact('refund-requested', {
        refund: {
          id: 'R1',
          type: 'return-and-refund',
          status: 'requested',
          amount: 2390,
          items: [{ id: 'P1', quantity: 1, amount: 2390 }],
          createdAt: T + 600,
        },
      }),
    refundUpdated: (extra: Partial<NonNullable<Fact['refund']>> = {}) =>
      fact('refund-updated', { refund: { id: 'R1', status: 'processing', ...extra } }),
  };
}

const all = new Map<string, Fact[]>();

async function recordAndPush(...facts: Fact[]) {
  const orderId = facts[0]!.orderId;
  for (const f of facts) await ledger.recordFact(f);
  all.set(orderId, [...(all.get(orderId) ?? []), ...facts]);
  return pushOrder(deps, orderId, { deadline: Date.now() + 10_000 });
}

/** The add/main/logistics requests Baidu accepted for an order, as `Code ID`. */
function parcelsAccepted(orderId: string): string[] {
  return oc.requests
    .filter((r) => r.call === 'add/main/logistics' && (r.reply as { errno?: number } | null)?.errno === 0)
    .map(
      (r) =>
        (
          r.body as {
            Data: { ResourceID: string; EXT: { MainOrder: { Express: { Code: string; ID: string } } } }[];
          }
        ).Data[0]!,
    )
    .filter((item) => item.ResourceID === orderId)
    .map((item) => `${item.EXT.MainOrder.Express.Code} ${item.EXT.MainOrder.Express.ID}`);
}

describe('a parcel goes out once the order exists, and again only when it changes', () => {
  it('sends the shipment after the status, once, and a re-shipment replaces it', async () => {
    // Prepare
    const s = story();
    await recordAndPush(s.placed(), s.paid());

    // Act
    const first = await recordAndPush(s.shipped({ carrier: 'SFEXPRESS', trackingNo: 'SF1234567890' }));
    const idle = await pushOrder(deps, s.orderId, { deadline: Date.now() + 10_000 });
    const again = await recordAndPush(s.shipped({ carrier: 'SFEXPRESS', trackingNo: 'SF0000000002' }));

    // Assess
    expect(first.calls.map((c) => c.call)).toEqual(['update/main/status', 'add/main/logistics']);
    expect(idle.calls).toEqual([]);
    expect(again.calls.map((c) => c.call)).toEqual(['add/main/logistics']);
    expect(parcelsAccepted(s.orderId)).toEqual(['SFEXPRESS SF1234567890', 'SFEXPRESS SF0000000002']);
    expect(oc.order(s.orderId, s.openId, APP_KEY)?.logistics).toEqual([
      { Code: 'SFEXPRESS', ID: 'SF0000000002', Name: '顺丰速运', Status: 0, Type: 1 },
    ]);
    expect(mismatches(oc, new Map([[s.orderId, all.get(s.orderId)!]]), APP_KEY)).toEqual([]);
  });

  it("sends the buyer's return parcel as Type 2 beside the shipment", async () => {
    // Prepare
    const s = story();
    await recordAndPush(
      s.placed(),
      s.paid(),
      s.shipped({ carrier: 'JD', trackingNo: 'JD1' }),
      s.refundRequested(),
    );

    // Act
    const outcome = await recordAndPush(
      s.refundUpdated({ returnShipment: { carrier: 'YTO', trackingNo: 'YT1' } }),
    );

    // Assess
    expect(outcome.calls.map((c) => c.call)).toEqual(['update/sub/status', 'add/main/logistics']);
    expect(oc.order(s.orderId, s.openId, APP_KEY)?.logistics.map((p) => [p.Type, p.Code, p.ID])).toEqual([
      [1, 'JD', 'JD1'],
      [2, 'YTO', 'YT1'],
    ]);
  });

  it('sends a parcel again after Baidu lost the order (rows_affected "0"), with the order re-added first', async () => {
    // Prepare
    const s = story();
    await recordAndPush(s.placed(), s.paid(), s.shipped());
    oc.setFaults({ failNext: ['rows0'] });

    // Act
    const outcome = await recordAndPush(s.shipped({ carrier: 'ZTO', trackingNo: 'ZT1' }));

    // Assess
    expect(outcome.calls.map((c) => [c.call, c.ok])).toEqual([
      ['add/main/logistics', false],
      ['add/main/info', true],
      ['add/main/logistics', true],
    ]);
    expect(outcome.state).toBe('synced');
    expect(oc.order(s.orderId, s.openId, APP_KEY)?.logistics.map((p) => p.ID)).toEqual(['ZT1']);
  });

  it('leaves a parcel whose call hit the quota due, the status already confirmed, and sends only it next time', async () => {
    // Prepare
    const s = story();
    await recordAndPush(s.placed(), s.paid(), s.shipped());
    oc.setFaults({ failNext: ['quota'] });

    // Act
    const limited = await recordAndPush(s.shipped({ carrier: 'ZTO', trackingNo: 'ZT1' }));
    const later = await pushOrder(deps, s.orderId, { deadline: Date.now() + 10_000 });

    // Assess
    expect(limited).toMatchObject({ state: 'pending', error: { kind: 'quota' } });
    expect(later.calls.map((c) => [c.call, c.ok])).toEqual([['add/main/logistics', true]]);
    expect(parcelsAccepted(s.orderId)).toEqual(['ZTO ZT1']);
  });
});

describe('a parcel Baidu refuses fails alone', () => {
  it("keeps the order's status and after-sale data syncing, and the report says why with Baidu's message", async () => {
    // Prepare
    const s = story();
    await recordAndPush(s.placed(), s.paid());

    // Act
    const refused = await recordAndPush(s.shipped({ carrier: 'NOPE', trackingNo: 'N1' }));
    const refund = await recordAndPush(s.refundRequested());
    const stored = await ledger.get(s.orderId);
    const seen = await report(ledger, APP_KEY);

    // Assess
    expect(refused.state).toBe('synced');
    expect(refused.calls.map((c) => [c.call, c.ok])).toEqual([
      ['update/main/status', true],
      ['add/main/logistics', false],
    ]);
    // The refused parcel is not sent again with the next change: only the after-sale order goes.
    expect(refund.calls.map((c) => c.call)).toEqual(['append/sub/info']);
    expect(refund.state).toBe('synced');
    const center = oc.order(s.orderId, s.openId, APP_KEY)!;
    expect(center.data.Status).toBe(6);
    expect(center.data.EXT.SubsOrder?.Items.map((i) => i.SubOrderID)).toEqual(['R1']);
    expect(center.logistics).toEqual([]);
    expect(stored?.syncState).toBe('synced');
    const anomaly = {
      code: 'logistics-refused',
      eventId: expect.stringContaining('shipped') as string,
      detail: expect.stringContaining(
        'param error: Data[0].EXT.MainOrder.Express.Code: "NOPE" is not a known carrier code',
      ) as string,
    };
    expect(stored?.anomalies).toEqual([anomaly]);
    expect(seen.anomalies).toContainEqual({ orderId: s.orderId, anomalies: [anomaly] });
  });

  it('sends the corrected parcel, and the refusal leaves the report', async () => {
    // Prepare
    const s = story();
    await recordAndPush(s.placed(), s.paid(), s.shipped({ carrier: 'NOPE', trackingNo: 'N1' }));

    // Act
    const corrected = await recordAndPush(s.shipped({ carrier: 'SFEXPRESS', trackingNo: 'SF1' }));
    const stored = await ledger.get(s.orderId);

    // Assess
    expect(corrected.calls.map((c) => [c.call, c.ok])).toEqual([['add/main/logistics', true]]);
    expect(stored?.anomalies).toBeUndefined();
    expect(oc.order(s.orderId, s.openId, APP_KEY)?.logistics.map((p) => p.Code)).toEqual(['SFEXPRESS']);
  });

  it('gives up on a parcel answered with an undocumented code as often as would fail an order, the order synced', async () => {
    // Prepare
    const s = story();
    await recordAndPush(s.placed(), s.paid(), s.shipped());
    deps = {
      ...deps,
      backoff: { baseMs: 1, maxMs: 1, maxAttempts: 12, unknownCodeAttempts: 2, unknownCodeMinMs: 0 },
    };
    oc.setFaults({ failNext: ['unknown-code', 'unknown-code'] });

    // Act
    const first = await recordAndPush(s.shipped({ carrier: 'ZTO', trackingNo: 'ZT1' }));
    const second = await pushOrder(deps, s.orderId, { deadline: Date.now() + 10_000 });
    const stored = await ledger.get(s.orderId);

    // Assess
    expect(first).toMatchObject({ state: 'pending', error: { kind: 'unknown' } });
    expect(second.state).toBe('synced');
    expect(stored?.anomalies?.map((a) => a.code)).toEqual(['logistics-refused']);
    expect(oc.order(s.orderId, s.openId, APP_KEY)?.data.Status).toBe(6);
  });
});

describe('reconcile, which batches status-only changes per user', () => {
  it('never takes a shipment with a parcel for a status-only change: the parcel goes out too', async () => {
    // Prepare: two orders of one user, paid and in the Order Center; both ship with a parcel, unpushed
    const [a, b] = [story(), story()];
    const user = `user-${a.orderId}`;
    const mine = (f: Fact): Fact => (f.order ? { ...f, order: { ...f.order, openId: user } } : f);
    for (const s of [a, b]) await recordAndPush(mine(s.placed()), s.paid());
    for (const [s, no] of [
      [a, 'SF1'],
      [b, 'SF2'],
    ] as const)
      await ledger.recordFact(s.shipped({ carrier: 'SFEXPRESS', trackingNo: no }));

    // Act
    const summary = await runReconcile(deps, { deadline: Date.now() + 20_000, batchSize: 2 });

    // Assess
    expect(summary.calls['add/main/logistics']).toBe(2);
    expect([a, b].map((s) => oc.order(s.orderId, user, APP_KEY)?.logistics.map((p) => p.ID))).toEqual([
      ['SF1'],
      ['SF2'],
    ]);
  });

  it('keeps a refused parcel in the report when a later status change goes out in a batch', async () => {
    // Prepare: the parcel was refused; then the order is completed, pushed by reconcile alone
    const [a, b] = [story(), story()];
    const user = `user-${a.orderId}`;
    const mine = (f: Fact): Fact => (f.order ? { ...f, order: { ...f.order, openId: user } } : f);
    await recordAndPush(mine(a.placed()), a.paid(), a.shipped({ carrier: 'NOPE', trackingNo: 'N1' }));
    await recordAndPush(mine(b.placed()), b.paid(), b.shipped());
    for (const s of [a, b])
      await ledger.recordFact({
        ...s.paid(),
        kind: 'completed',
        payment: undefined,
        eventId: `${s.orderId}-done`,
      });

    // Act
    const summary = await runReconcile(deps, { deadline: Date.now() + 20_000, batchSize: 2 });
    const stored = await ledger.get(a.orderId);

    // Assess
    expect(summary.calls).toEqual({ 'update/main/status': 1 });
    expect(oc.order(a.orderId, user, APP_KEY)?.data.Status).toBe(200);
    expect(stored?.anomalies?.map((x) => x.code)).toEqual(['logistics-refused']);
  });
});
