import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { itemSize } from 'dynalite/db';
import {
  computeOrderAmount,
  parseMerchantEvent,
  type Fact,
  type MerchantEventType,
  type OrderSnapshot,
} from '../../lib/events';
import type { LifecycleHandler } from '../../lib/http';
import { createDynamoLedger } from '../../lib/ledger/dynamo-ledger';
import { mismatches } from '../helpers/convergence';
import { startStackForHandlers } from '../helpers/stack';
import { callHttp, merchantRequest, unixNow } from '../http/helpers';
import { routeHandlers } from './handlers';
import { captureLogs, printCounts, type CapturedLogs } from './logs';

/**
 * One order through 1,000 events, one after another over HTTP, as a long-lived order with a busy
 * after-sale desk would see them: snapshot revisions (some changing the amount), partial refunds each
 * requested and then updated many times, and the merchant's retries (same body again), a payment retried
 * after the amount changed, reused eventIds with other content and payments of the wrong amount. Every
 * event must be answered for its own reason, never for the size of the order's history; the order's
 * ledger item must stay small, and so must what each event's writes cost.
 */
const EVENTS = Number(process.env.LONG_ORDER_EVENTS ?? 1_000);
const CHECKPOINTS = [10, 100, 1_000];
const ORDER_ID = 'long-order-1';
const OPEN_ID = 'long-user-1';
/** DynamoDB's item size limit. */
const MAX_ITEM_BYTES = 400 * 1024;

type Stack = Awaited<ReturnType<typeof startStackForHandlers>>;

const ROUTES = routeHandlers(() => stack.service);
const HANDLERS: Partial<Record<MerchantEventType, LifecycleHandler>> = {
  'order-placed': ROUTES['POST /events/order-placed'],
  'payment-succeeded': ROUTES['POST /events/payment-succeeded'],
  shipped: ROUTES['POST /events/shipped'],
  'refund-requested': ROUTES['POST /events/refund-requested'],
  'refund-updated': ROUTES['POST /events/refund-updated'],
};

/** One request, and what it must be answered. */
interface Delivery {
  type: MerchantEventType;
  body: string;
  expect: { status: 202; duplicate: boolean } | { status: 409 | 422; field: string };
}

interface Measure {
  event: number;
  itemBytes: number;
  firstReleaseBytes: number;
  writeUnits: number;
  writes: number;
  failedConditionalWrites: number;
}

let stack: Stack;
let logs: CapturedLogs;
const answers: { delivery: Delivery; status: number; body: Record<string, unknown> }[] = [];
const accepted = new Map<string, Fact>();
const measures: Measure[] = [];
let largestItemBytes = 0;

/** Write units as DynamoDB bills them (dynalite reports ConsumedCapacity: the larger item size, before or after). */
const meter = { units: 0, writes: 0, failed: 0 };

function metered(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const isWrite = ['UpdateItemCommand', 'PutItemCommand'].includes(context.commandName ?? '');
      if (isWrite) (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      try {
        const result = await next(args);
        if (isWrite) {
          meter.writes += 1;
          meter.units +=
            (result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity
              ?.CapacityUnits ?? 0;
        }
        return result;
      } catch (err) {
        // DynamoDB bills a refused conditional write too; dynalite reports none: counted apart
        if (isWrite && err instanceof Error && err.name === 'ConditionalCheckFailedException')
          meter.failed += 1;
        throw err;
      }
    },
    { step: 'initialize', name: 'writeUnitMeter' },
  );
}

function baseSnapshot(at: number): OrderSnapshot {
  return {
    openId: OPEN_ID,
    category: 'physical',
    title: '四川大凉山丑苹果 礼盒',
    createdAt: at,
    items: ['P1', 'P2', 'P3'].map((id, i) => ({
      id,
      name: `丑苹果 ${i + 5}斤`,
      description: '产地直发，坏果包赔。'.repeat(8),
      quantity: 5,
      price: 1200,
      payPrice: 1000,
      images: ['https://img.example/apple-1.jpg', 'https://img.example/apple-2.jpg'],
      sku: [{ name: '规格', value: `${i + 5}斤装` }],
    })),
    fees: [{ name: '运费', amount: 800, quantity: 1 }],
    discounts: [{ name: '优惠券使用', amount: 500, quantity: 1 }],
    paymentMethod: 'online',
    detail: { status: 'linked', name: '查看订单', swan: '/pages/order/detail?id=long-order-1' },
  };
}

/** The 1,000 requests, each with the answer it must get. */
function deliveries(): Delivery[] {
  const t0 = unixNow() - 20_000;
  const out: Delivery[] = [];
  const sent: Delivery[] = [];
  let snapshot = baseSnapshot(t0);
  let n = 0;
  const event = (extra: Record<string, unknown>) => ({
    eventId: `long-${(n += 1)}`,
    occurredAt: t0 + 10 * n,
    orderId: ORDER_ID,
    ...extra,
  });
  const fresh = (type: MerchantEventType, body: Record<string, unknown>): Delivery => {
    const delivery: Delivery = {
      type,
      // the body names its type, as every merchant body over HTTP must
      body: JSON.stringify({ type, ...body }),
      expect: { status: 202, duplicate: false },
    };
    sent.push(delivery);
    return delivery;
  };
  const again = (delivery: Delivery): Delivery => ({ ...delivery, expect: { status: 202, duplicate: true } });

  out.push(fresh('order-placed', event({ order: snapshot })));
  const payment = fresh(
    'payment-succeeded',
    event({ payment: { paidAt: t0 + 20, amount: computeOrderAmount(snapshot) } }),
  );
  out.push(payment);
  out.push(
    fresh(
      'shipped',
      event({ shipment: { shippedAt: t0 + 30, carrier: 'SFEXPRESS', trackingNo: 'SF1234567890' } }),
    ),
  );

  let refund = 0;
  let updates = 0;
  // zero-padded, so that their order as ids is their order in time (the helpers compare them sorted)
  const refundId = () => `R${String(refund).padStart(3, '0')}`;
  for (let i = out.length; i < EVENTS; i++) {
    if (i % 25 === 0) {
      // a revision of the snapshot; every fourth adds a packaging fee line (the amount changes)
      const fees =
        i % 100 === 0
          ? [...(snapshot.fees ?? []), { name: `包装 ${i}`, amount: 10, quantity: 1 }]
          : snapshot.fees;
      snapshot = { ...snapshot, title: `四川大凉山丑苹果 礼盒 (修订 ${i})`, fees };
      out.push(fresh('order-placed', event({ order: snapshot })));
    } else if (i % 10 === 3) {
      // the merchant's retry of something sent before: the same body
      out.push(again(sent[(i * 7919) % sent.length]!));
    } else if (i % 100 === 11) {
      // the payment retried after the amount changed: still the duplicate it is
      out.push(again(payment));
    } else if (i % 50 === 17) {
      // an eventId reused for another event
      const earlier = JSON.parse(sent[(i * 104_729) % sent.length]!.body) as Record<string, unknown>;
      const earlierType = sent[(i * 104_729) % sent.length]!.type;
      const other = { ...earlier, occurredAt: (earlier.occurredAt as number) + 1 };
      out.push({ type: earlierType, body: JSON.stringify(other), expect: { status: 409, field: 'eventId' } });
    } else if (i % 100 === 29) {
      // a new payment of the order's old amount: refused for what it says
      const wrong = event({ payment: { paidAt: t0 + 40, amount: computeOrderAmount(snapshot) - 1 } });
      out.push({
        type: 'payment-succeeded',
        body: JSON.stringify({ type: 'payment-succeeded', ...wrong }),
        expect: { status: 422, field: 'payment.amount' },
      });
    } else if (updates === 0) {
      // a partial refund: one apple of one box
      refund += 1;
      updates = 24;
      const id = ['P1', 'P2', 'P3'][refund % 3]!;
      const items = [{ id, quantity: 1, amount: 200 }];
      out.push(
        fresh(
          'refund-requested',
          event({ refund: { id: refundId(), type: 'refund-only', amount: 200, items } }),
        ),
      );
    } else {
      // the after-sale desk updating it: processing, with its detail page moving on; then refunded
      updates -= 1;
      const status = updates === 0 ? (refund % 5 === 0 ? 'rejected' : 'refunded') : 'processing';
      const detail = {
        status: 'linked',
        name: `进度 ${24 - updates}`,
        swan: `/pages/refund?id=${refundId()}`,
      };
      out.push(fresh('refund-updated', event({ refund: { id: refundId(), status, detail } })));
    }
  }
  return out;
}

async function rawItem(client: DynamoDBClient) {
  const { ledgerTable } = stack.service.config;
  const { Item } = await client.send(
    new GetItemCommand({ TableName: ledgerTable, Key: { orderId: { S: ORDER_ID } }, ConsistentRead: true }),
  );
  if (!Item) throw new Error('the order is not in the ledger');
  return Item;
}

/** What the item would weigh in the first release's shape: every fact whole, snapshot included, in f#<eventId>. */
function firstReleaseBytes(item: Awaited<ReturnType<typeof rawItem>>): number {
  const plain = unmarshall(item) as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    if (key.startsWith('f#') || key.startsWith('snapshot')) Reflect.deleteProperty(plain, key);
  }
  for (const fact of accepted.values()) plain[`f#${fact.eventId}`] = fact;
  return itemSize(marshall(plain, { removeUndefinedValues: true }));
}

beforeAll(async () => {
  stack = await startStackForHandlers();
  logs = captureLogs();
  try {
    // Prepare: the service's ledger on a client whose writes are metered
    const service = stack.service;
    metered(stack.dynamo.client);
    const ledger = createDynamoLedger({ client: stack.dynamo.client, tableName: service.config.ledgerTable });
    service.ledger = ledger;
    service.sync.ledger = ledger;

    // Act
    for (const [i, delivery] of deliveries().entries()) {
      const before = { ...meter };
      const answer = await callHttp(
        HANDLERS[delivery.type]!,
        merchantRequest(delivery.type, delivery.body, stack.secrets.webhookSecret),
      );
      answers.push({ delivery, status: answer.status, body: answer.body });
      if (answer.status === 202 && answer.body.duplicate === false) {
        const fact = parseMerchantEvent(delivery.type, JSON.parse(delivery.body));
        accepted.set(fact.eventId, fact);
      }
      if ((i + 1) % 10 !== 0 && !CHECKPOINTS.includes(i + 1)) continue;
      const item = await rawItem(stack.dynamo.client);
      largestItemBytes = Math.max(largestItemBytes, itemSize(item));
      if (CHECKPOINTS.includes(i + 1)) {
        measures.push({
          event: i + 1,
          itemBytes: itemSize(item),
          firstReleaseBytes: firstReleaseBytes(item),
          writeUnits: meter.units - before.units,
          writes: meter.writes - before.writes,
          failedConditionalWrites: meter.failed - before.failed,
        });
      }
    }
  } finally {
    logs.restore();
  }
}, 280_000);

afterAll(async () => {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  printCounts('one order, 1,000 events', {
    'events sent': answers.length,
    'recorded (202 duplicate:false)': answers.filter((a) => a.status === 202 && a.body.duplicate === false)
      .length,
    'duplicates (202 duplicate:true)': answers.filter((a) => a.body.duplicate === true).length,
    'eventId conflicts (409)': answers.filter((a) => a.status === 409).length,
    'wrong payment amounts (422)': answers.filter((a) => a.status === 422).length,
    'largest item': kb(largestItemBytes),
    ...Object.fromEntries(
      measures.flatMap((m) => [
        [
          `at event ${m.event}: item / first-release shape`,
          `${kb(m.itemBytes)} / ${kb(m.firstReleaseBytes)}`,
        ],
        [
          `at event ${m.event}: write units (writes, refused conditional writes)`,
          `${m.writeUnits} WCU (${m.writes} writes, ${m.failedConditionalWrites} refused); first-release shape: ${m.writes * Math.ceil(m.firstReleaseBytes / 1024)} WCU`,
        ],
      ]),
    ),
  });
  await stack.stopAndRestore();
});

describe('one order through 1,000 events', () => {
  it('answered every event for its own reason', () => {
    const wrong = answers.filter(({ delivery, status, body }) => {
      const want = delivery.expect;
      if (status !== want.status) return true;
      if (want.status === 202) return body.duplicate !== want.duplicate;
      const details = (body.error as { details: { path: string }[] }).details;
      return !details.some((d) => d.path === want.field);
    });
    expect(wrong.map((a) => `${a.delivery.type} ${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
    expect(answers).toHaveLength(EVENTS);
  });

  it('never refused one for the size of the order', () => {
    expect(answers.filter((a) => JSON.stringify(a.body).includes('too large'))).toEqual([]);
  });

  it('kept every fact accepted, and the Order Center shows what they say', async () => {
    const item = await stack.service.ledger.get(ORDER_ID);
    expect(new Set(item?.facts.map((f) => f.eventId))).toEqual(new Set(accepted.keys()));
    expect(item).toMatchObject({ syncState: 'synced' });
    expect(item?.lastError).toBeUndefined();
    expect(
      mismatches(stack.orderCenter, new Map([[ORDER_ID, [...accepted.values()]]]), stack.appKey),
    ).toEqual([]);
  });

  it('kept the item well under DynamoDB limit, and the write cost of an event with it', () => {
    expect(largestItemBytes).toBeLessThan(MAX_ITEM_BYTES / 4);
    const last = measures.at(-1)!;
    // less than what the first release's item would cost by now, at the same number of writes
    expect(last.writeUnits).toBeLessThan(last.writes * Math.ceil(last.firstReleaseBytes / 1024));
  });
});
