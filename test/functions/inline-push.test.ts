import { triggers as orderPlacedTriggers } from '../../functions/orderPlaced';
import { triggers as shippedTriggers } from '../../functions/shipped';
import type { LifecycleHandler } from '../../lib/http';
import type { LedgerItem } from '../../lib/ledger/types';
import type { EventService } from '../../lib/service';
import { uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';
import { wired } from '../helpers/wired';

import { orderEvents } from '../http/helpers';

let stack: Awaited<ReturnType<typeof startStackForHandlers>>;
let service: EventService;
let orderPlaced: LifecycleHandler;
let shipped: LifecycleHandler;

beforeAll(async () => {
  stack = await startStackForHandlers();
});

afterAll(async () => {
  await stack.stopAndRestore();
});

beforeEach(() => {
  // a fresh instance: its inline pushes have not failed yet
  service = stack.serviceWith({});
  orderPlaced = wired(orderPlacedTriggers, service);
  shipped = wired(shippedTriggers, service);
  stack.orderCenter.reset();
});

const callsFor = (orderId: string) =>
  stack.orderCenter.requests.filter(
    (r) =>
      r.call !== 'oauth/token' && r.query.open_id !== undefined && JSON.stringify(r.body).includes(orderId),
  );

describe('inline pushes while Baidu is failing', () => {
  it('a new fact on an order in transient backoff is recorded, answered pending, and not pushed inline', async () => {
    // Prepare: the order's first push fails transiently, so it backs off
    const orderId = uniqueId('backoff');
    const events = orderEvents(orderId);
    stack.orderCenter.setFaults({ http5xxRate: 1 });
    const first = await orderPlaced(events['order-placed'](), lambdaContext('orderPlaced'));
    stack.orderCenter.resetFaults();
    // Its backoff, a minute long whatever the jitter drew (a first backoff is short: on a loaded machine it
    // could be over before the next event arrives)
    const { ledger } = service;
    const failed = (await ledger.acquireLease(orderId, 'test', Date.now() + 10_000)) as LedgerItem;
    const backoffUntil = Date.now() + 60_000;
    await ledger.finishPush(orderId, 'test', failed.version, {
      syncState: 'pending',
      attempts: failed.attempts,
      nextAttemptAt: backoffUntil,
      lastError: failed.lastError,
    });
    const sentBefore = callsFor(orderId).length;

    // Act
    const second = await shipped(events.shipped(), lambdaContext('shipped'));

    // Assess
    expect(first).toMatchObject({ sync: 'pending' });
    expect(second).toMatchObject({ duplicate: false, sync: 'pending' });
    expect(callsFor(orderId)).toHaveLength(sentBefore);
    const item = await service.ledger.get(orderId);
    expect(item).toMatchObject({ syncState: 'pending', attempts: 1 });
    expect(item!.facts).toHaveLength(2);
    expect(item!.nextAttemptAt).toBe(backoffUntil);
  });

  it('an instance whose inline pushes keep failing stops pushing inline: it records and answers pending', async () => {
    // Prepare: three orders whose pushes fail transiently
    stack.orderCenter.setFaults({ http5xxRate: 1 });
    for (let i = 0; i < 3; i++)
      await orderPlaced(orderEvents(uniqueId('storm'))['order-placed'](), lambdaContext('orderPlaced'));
    stack.orderCenter.resetFaults(); // Baidu is back, but this instance does not know yet
    const orderId = uniqueId('held');

    // Act
    const reply = await orderPlaced(orderEvents(orderId)['order-placed'](), lambdaContext('orderPlaced'));

    // Assess: recorded and due for reconcile, nothing sent
    expect(reply).toMatchObject({ duplicate: false, sync: 'pending' });
    expect(callsFor(orderId)).toHaveLength(0);
    expect(await service.ledger.get(orderId)).toMatchObject({ syncState: 'pending', attempts: 0 });
  });
});
