import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LifecycleHandler } from '../../lib/http';
import type { IntakeReply } from '../../lib/intake';
import { handler as orderClosed } from '../../functions/orderClosed';
import { handler as orderCompleted } from '../../functions/orderCompleted';
import { handler as orderPlaced } from '../../functions/orderPlaced';
import { handler as paymentSucceeded } from '../../functions/paymentSucceeded';
import { handler as refundRequested } from '../../functions/refundRequested';
import { handler as refundUpdated } from '../../functions/refundUpdated';
import { handler as shipped } from '../../functions/shipped';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';
import { captureLogs } from '../http/helpers';

interface Example {
  eventId: string;
  orderId: string;
  order?: { openId: string };
}

const example = (name: string): Example =>
  JSON.parse(readFileSync(path.resolve(__dirname, '../../examples', `${name}.json`), 'utf8')) as Example;

/** examples/, in the order scripts/invoke-examples.ts invokes them. */
const LIFECYCLE: [string, LifecycleHandler][] = [
  ['orderPlaced', orderPlaced],
  ['paymentSucceeded', paymentSucceeded],
  ['shipped', shipped],
  ['refundRequested', refundRequested],
  ['refundUpdated', refundUpdated],
  ['orderCompleted', orderCompleted],
  ['orderClosed', orderClosed],
];

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

describe('examples/', () => {
  it('invoked in order, each is recorded and synced, and the orders end as the examples say', async () => {
    // Act
    const replies: IntakeReply[] = [];
    for (const [name, handler] of LIFECYCLE) {
      replies.push((await handler(example(name), lambdaContext(name))) as IntakeReply);
    }

    // Assess
    expect(replies).toEqual(
      LIFECYCLE.map(([name]) => ({
        orderId: example(name).orderId,
        eventId: example(name).eventId,
        duplicate: false,
        sync: 'synced',
      })),
    );
    const { orderId, order } = example('orderPlaced');
    const completed = stack.orderCenter.order(orderId, order?.openId, stack.appKey);
    expect(completed?.data.Status).toBe(200);
    expect(completed?.data.EXT.SubsOrder?.Status).toBe(402);
    // examples/shipped.json's carrier and tracking number, as 百度App > 订单 shows them
    expect(completed?.logistics).toEqual([
      { Code: 'SFEXPRESS', ID: 'SF1234567890', Name: '顺丰速运', Status: 0, Type: 1 },
    ]);
    const closed = example('orderClosed');
    expect(stack.orderCenter.order(closed.orderId, closed.order?.openId, stack.appKey)?.data.Status).toBe(
      100,
    );
  });
});
