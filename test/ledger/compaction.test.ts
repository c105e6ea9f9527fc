import fc from 'fast-check';
import type { Fact } from '../../lib/events/types';
import { createDynamoLedger } from '../../lib/ledger/dynamo-ledger';
import type { Ledger } from '../../lib/ledger/types';
import { project } from '../../lib/projection';
import { createLedgerTable, startLocalDynamo, type LocalDynamo } from '../../local/dynamo';
import { uniqueId } from '../helpers/facts';
import { lifecycle, redelivered } from '../projection/lifecycle.arbitrary';
import { recordFirstReleaseFact } from './first-release';

// The ledger keeps one snapshot per order and only the amounts of superseded ones, and moves facts into
// a deflated archive every few records. Whatever it kept, wherever, and whichever facts an item holds in
// the first release's shape, dedup and the projection must answer as they would over every fact sent.

let dynamo: LocalDynamo;
const tableName = uniqueId('compaction');
const CONFIG = { bizAppId: 'app-key-1' };
const AT = 1_764_316_800_000;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await createLedgerTable(dynamo.client, tableName);
});

afterAll(async () => {
  await dynamo.stop();
});

/**
 * A lifecycle of a fresh order, its facts as they arrive, how many arrive before the upgrade, and after
 * how many facts held whole the ledger archives them.
 */
const histories = lifecycle
  // A lifecycle may have no facts at all: then there is no order to record (and no orderId to read).
  .filter((facts) => facts.length > 0)
  .map((facts) => {
    const orderId = uniqueId('h');
    return facts.map((f): Fact => ({ ...f, orderId }));
  })
  .chain((facts) =>
    redelivered(facts).chain((arrivals) =>
      fc.tuple(
        fc.constant(facts),
        fc.constant(arrivals),
        fc.nat({ max: arrivals.length }),
        fc.integer({ min: 1, max: 6 }),
      ),
    ),
  );

/** The same eventId with other content (reason is part of every fact's content). */
const altered = (f: Fact): Fact => ({ ...f, reason: `${f.reason ?? ''}, altered` });

describe('compaction', () => {
  it('leaves dedup and the projection as they are over every fact sent, before and after the upgrade', async () => {
    await fc.assert(
      fc.asyncProperty(histories, async ([facts, arrivals, upgradeAt, archiveEvery]) => {
        const ledger: Ledger = createDynamoLedger({
          client: dynamo.client,
          tableName,
          now: () => AT,
          archiveEvery,
        });
        const orderId = facts[0]!.orderId;
        const reference = project(orderId, facts, CONFIG);
        const seen = new Set<string>();

        // Act: the first arrivals recorded by the first release, the rest by this one
        for (const [i, f] of arrivals.entries()) {
          if (i < upgradeAt) await recordFirstReleaseFact(dynamo.client, tableName, f, AT);
          else {
            const result = await ledger.recordFact(f);
            // Assess: each arrival recorded once, a repeat a duplicate
            expect(result.outcome).toBe(seen.has(f.eventId) ? 'duplicate' : 'recorded');
          }
          seen.add(f.eventId);
        }

        // Assess
        const item = await ledger.get(orderId);
        expect(project(orderId, item!.facts, CONFIG)).toStrictEqual(reference);
        for (const f of facts) {
          await expect(ledger.recordFact(structuredClone(f))).resolves.toMatchObject({
            outcome: 'duplicate',
          });
        }
        for (const f of facts.filter((_, i) => i % 3 === 0)) {
          await expect(ledger.recordFact(altered(f))).resolves.toMatchObject({ outcome: 'conflict' });
        }
        const after = await ledger.get(orderId);
        expect(after?.version).toBe(item?.version);
        expect(project(orderId, after!.facts, CONFIG)).toStrictEqual(reference);
      }),
      { numRuns: 30, endOnFailure: true },
    );
  }, 120_000);
});
