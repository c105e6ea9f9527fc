import type { MerchantEventType } from '../../lib/events';
import type { IntakeReply } from '../../lib/intake';
import type { LifecycleHandler } from '../../lib/http';
import { handler as orderClosed } from '../../functions/orderClosed';
import { handler as orderCompleted } from '../../functions/orderCompleted';
import { handler as orderPlaced } from '../../functions/orderPlaced';
import { handler as paymentSucceeded } from '../../functions/paymentSucceeded';
import { handler as refundRequested } from '../../functions/refundRequested';
import { handler as refundUpdated } from '../../functions/refundUpdated';
import { handler as shipped } from '../../functions/shipped';
import type { StoredOrder } from '../../local/order-center';
import { uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';
import { callHttp, captureLogs, merchantRequest, orderEvents } from '../http/helpers';

const HANDLERS: Record<MerchantEventType, LifecycleHandler> = {
  'order-placed': orderPlaced,
  'payment-succeeded': paymentSucceeded,
  shipped,
  'order-completed': orderCompleted,
  'order-closed': orderClosed,
  'refund-requested': refundRequested,
  'refund-updated': refundUpdated,
};

let stack: Awaited<ReturnType<typeof startStackForHandlers>>;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  stack = await startStackForHandlers();
  logs = captureLogs();
});

afterAll(async () => {
  logs.restore();
  await stack.stopAndRestore();
});

type Events = ReturnType<typeof orderEvents>;
type Transport = 'http' | 'invoke';

async function send(type: MerchantEventType, event: object, transport: Transport): Promise<IntakeReply> {
  const handler = HANDLERS[type];
  if (transport === 'invoke') return (await handler(event, lambdaContext(type))) as IntakeReply;
  const answer = await callHttp(handler, merchantRequest(type, event, stack.secrets.webhookSecret));
  expect(answer.status).toBe(202);
  return answer.body as unknown as IntakeReply;
}

function stored(events: Events, orderId: string): StoredOrder | undefined {
  return stack.orderCenter.order(orderId, events.order.openId, stack.appKey);
}

interface Case {
  type: MerchantEventType;
  /** recorded first, by direct invoke */
  before: MerchantEventType[];
  category: 'physical' | 'virtual';
  assess(order: StoredOrder): void;
}

const CASES: Case[] = [
  { type: 'order-placed', before: [], category: 'physical', assess: (o) => expect(o.data.Status).toBe(1) },
  {
    type: 'payment-succeeded',
    before: ['order-placed'],
    category: 'physical',
    assess: (o) => {
      expect(o.data.Status).toBe(5);
      expect(o.data.EXT.MainOrder.Payment).toMatchObject({ IsPayment: true, Amount: 2390 });
    },
  },
  {
    type: 'payment-succeeded',
    before: ['order-placed'],
    category: 'virtual',
    assess: (o) => expect(o.data.Status).toBe(2),
  },
  {
    type: 'shipped',
    before: ['order-placed', 'payment-succeeded'],
    category: 'physical',
    assess: (o) => {
      expect(o.data.Status).toBe(6);
      expect(o.logistics).toEqual([
        { Code: 'SFEXPRESS', ID: 'SF1234567890', Name: '顺丰速运', Status: 0, Type: 1 },
      ]);
    },
  },
  {
    type: 'shipped',
    before: ['order-placed', 'payment-succeeded'],
    category: 'virtual',
    assess: (o) => {
      expect(o.data.Status).toBe(4);
      expect(o.logistics).toEqual([]);
    },
  },
  {
    type: 'order-completed',
    before: ['order-placed', 'payment-succeeded', 'shipped'],
    category: 'physical',
    assess: (o) => expect(o.data.Status).toBe(200),
  },
  {
    type: 'order-closed',
    before: ['order-placed'],
    category: 'physical',
    assess: (o) => expect(o.data.Status).toBe(100),
  },
  {
    type: 'refund-requested',
    before: ['order-placed', 'payment-succeeded'],
    category: 'physical',
    assess: (o) => {
      expect(o.data.EXT.SubsOrder?.Status).toBe(400);
      expect(o.data.EXT.SubsOrder?.Items).toEqual([
        expect.objectContaining({ SubOrderID: 'R1', SubStatus: 400, OrderType: 1 }),
      ]);
    },
  },
  {
    type: 'refund-updated',
    before: ['order-placed', 'payment-succeeded', 'refund-requested'],
    category: 'physical',
    assess: (o) => {
      expect(o.data.EXT.SubsOrder?.Status).toBe(402);
      expect(o.subStatusHistory.R1).toEqual([400, 402]);
    },
  },
];

describe.each<Transport>(['http', 'invoke'])('each lifecycle event over %s', (transport) => {
  it.each(CASES)('$type ($category) ends in the right Order Center state', async (c) => {
    // Prepare
    const orderId = uniqueId(`${transport}-${c.type}`);
    const events = orderEvents(orderId, { category: c.category });
    for (const type of c.before) await send(type, events[type](), 'invoke');
    const event = events[c.type]();

    // Act
    const reply = await send(c.type, event, transport);

    // Assess
    expect(reply).toEqual({ orderId, eventId: event.eventId, duplicate: false, sync: 'synced' });
    const order = stored(events, orderId);
    expect(order).toBeDefined();
    c.assess(order!);
  });
});

describe('a duplicate event', () => {
  it.each<Transport>(['http', 'invoke'])(
    'over %s is acknowledged and not applied again',
    async (transport) => {
      // Prepare
      const orderId = uniqueId(`dup-${transport}`);
      const events = orderEvents(orderId);
      await send('order-placed', events['order-placed'](), 'invoke');
      const paid = events['payment-succeeded']();
      await send('payment-succeeded', paid, transport);
      const requestsBefore = stack.orderCenter.requests.length;

      // Act
      const again = await send('payment-succeeded', paid, transport);

      // Assess
      expect(again).toEqual({ orderId, eventId: paid.eventId, duplicate: true, sync: 'synced' });
      expect(stack.orderCenter.requests.length).toBe(requestsBefore);
      expect(stored(events, orderId)?.statusHistory.map((s) => s.status)).toEqual([1, 5]);
    },
  );
});
