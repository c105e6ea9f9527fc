import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { budgetKey, createDynamoBudget, type DynamoBudgetOptions } from '../../lib/budget';
import { createDynamoLedger } from '../../lib/ledger/dynamo-ledger';
import { createLedgerTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamo';
import { fact, uniqueId } from '../helpers/facts';

let dynamo: LocalDynamo;
let tableName: string;
/** The injected clock: sleeping moves it, so no test waits for real seconds. */
let clock: number;
const sleep = (ms: number) => {
  clock += ms;
  return Promise.resolve();
};

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});

afterAll(async () => {
  await dynamo.stop();
});

beforeEach(async () => {
  tableName = uniqueId('budget');
  await createLedgerTable(dynamo.client, tableName);
  clock = 1_764_316_800_000; // the start of a second
});

const budget = (options: Partial<DynamoBudgetOptions> = {}) =>
  createDynamoBudget({ client: dynamo.client, tableName, maxQps: 20, now: () => clock, sleep, ...options });

async function counter(second: number): Promise<number | undefined> {
  const doc = DynamoDBDocumentClient.from(dynamo.client);
  const out = await doc.send(new GetCommand({ TableName: tableName, Key: { orderId: budgetKey(second) } }));
  return out.Item?.calls as number | undefined;
}

describe('the call budget', () => {
  it('grants at most maxQps slots in a second to all instances together, and nearly all of them', async () => {
    // Prepare: four instances, each wanting 15 calls within this second
    const instances = [1, 2, 3, 4].map(() => budget({ maxChunk: 3 }));
    const endOfSecond = clock + 900;

    // Act
    const granted = await Promise.all(
      instances.map(async (b) => {
        const results = await Promise.all(Array.from({ length: 15 }, () => b.take(endOfSecond)));
        return results.filter(Boolean).length;
      }),
    );

    // Assess
    const total = granted.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(20);
    expect(total).toBeGreaterThanOrEqual(20 - 4 * 2); // at most a chunk's rest unused per instance
    expect(await counter(clock / 1000)).toBeLessThanOrEqual(20);
  });

  it('waits for the next second when this one is spent, if the deadline allows', async () => {
    // Prepare
    const b = budget({ maxQps: 2 });

    // Act
    const first = [await b.take(clock + 5_000), await b.take(clock + 5_000)];
    const third = await b.take(clock + 5_000);

    // Assess
    expect(first).toEqual([true, true]);
    expect(third).toBe(true);
    expect(clock).toBeGreaterThanOrEqual(1_764_316_801_000);
  });

  it('counts a call taken near the end of a second in that second and the next', async () => {
    // Prepare: 950 ms into a second, within edgeMs (100) of its end
    const b = budget({ edgeMs: 100 });
    const second = clock / 1000;
    clock += 950;

    // Act
    const granted = await b.take(clock + 5_000);

    // Assess: it may land in either second, so both counters hold it; and it went without waiting
    expect(granted).toBe(true);
    expect(clock).toBe(second * 1000 + 950);
    expect(await counter(second)).toBe(1);
    expect(await counter(second + 1)).toBe(1);
  });

  it('lets no second receive more than maxQps calls, wherever in [t, t + edgeMs) each call lands', async () => {
    // Prepare: one instance wants 15 calls 50 ms before a second ends (they may land in either second),
    // another wants 15 as the next second begins. Each remembers when it decided (its last clock reading).
    const maxQps = 20;
    const edgeMs = 100;
    const takenAt: number[] = [];
    const instance = async (startAt: number) => {
      clock = startAt;
      let decidedAt = 0;
      const b = budget({ maxQps, edgeMs, maxChunk: 5, now: () => (decidedAt = clock) });
      for (let i = 0; i < 15; i++) if (await b.take(startAt + 3_000)) takenAt.push(decidedAt);
    };
    const x = clock + 1_000;

    // Act
    await instance(x - 50);
    await instance(x);

    // Assess: the calls that can land in a second Y are those taken in [Y - edgeMs, Y + 1 s)
    for (const y of [x - 1_000, x, x + 1_000]) {
      const canLandInY = takenAt.filter((t) => t >= y - edgeMs && t < y + 1_000).length;
      expect(canLandInY).toBeLessThanOrEqual(maxQps);
    }
    expect(takenAt).toHaveLength(30); // and every call went, in the seconds that had room
  });

  it('gives no slot when none comes before the deadline', async () => {
    const b = budget({ maxQps: 1 });
    expect(await b.take(clock + 500)).toBe(true);
    expect(await b.take(clock + 500)).toBe(false);
  });

  it('holds every instance off after a quota error, the fresh ones included', async () => {
    // Prepare
    const one = budget();
    const other = budget();

    // Act
    await one.pause();
    const soon = await other.take(clock + 10_000);
    const afterwards = await other.take(clock + 60_000);

    // Assess: nothing within 10 s; the budget is back once the pause is over
    expect(soon).toBe(false);
    expect(afterwards).toBe(true);
    expect(clock).toBeGreaterThanOrEqual(1_764_316_800_000 + 30_000);
  });

  it('makes no call when the counter cannot be written', async () => {
    const b = budget({ tableName: 'no-such-table' });
    expect(await b.take(clock + 500)).toBe(false);
  });

  it('keeps its counters out of the queues and reports, and lets DynamoDB expire them', async () => {
    // Prepare
    await budget().take(clock + 500);
    const ledger = createDynamoLedger({ client: dynamo.client, tableName });
    await ledger.recordFact(fact({ orderId: uniqueId('real') }));

    // Act
    const pending = await ledger.queryQueue('pending', { limit: 1000 });
    const anomalies = await ledger.listAnomalies();
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const item = await doc.send(
      new GetCommand({ TableName: tableName, Key: { orderId: budgetKey(clock / 1000) } }),
    );

    // Assess
    expect(pending.entries.map((e) => e.orderId)).not.toContain(budgetKey(clock / 1000));
    expect(anomalies.orders).toEqual([]);
    expect(budgetKey(1)).toMatch(/\s/); // order ids never hold whitespace: no order can be a counter
    expect(item.Item).toMatchObject({ calls: 1, expiresAt: clock / 1000 + 3600 });
  });
});
