import fc from 'fast-check';
import type { Fact } from '../../lib/events/types';
import { project, type Projection } from '../../lib/projection';
import { LIFECYCLE_ORDER_ID, lifecycle, redelivered } from './lifecycle.arbitrary';

const CONFIG = { bizAppId: 'app-key-1' };

function projectLifecycle(facts: readonly Fact[]): Projection {
  return project(LIFECYCLE_ORDER_ID, facts, CONFIG);
}

describe('project() depends only on the set of facts', () => {
  it('gives deep-equal results for any arrival order with any repeats', () => {
    // Prepare
    const cases = lifecycle.chain((facts) =>
      fc.tuple(fc.constant(facts), redelivered(facts), redelivered(facts)),
    );

    fc.assert(
      fc.property(cases, ([facts, first, second]) => {
        // Act
        const reference = projectLifecycle(facts);

        // Assess
        expect(projectLifecycle(first)).toStrictEqual(reference);
        expect(projectLifecycle(second)).toStrictEqual(reference);
      }),
      { numRuns: 400 },
    );
  });

  it('never moves an order backwards as facts arrive, in any order', () => {
    // Prepare: a lifecycle, and the order in which its facts arrive
    // placed < paid < shipped < completed, and closed ends it (docs/contract.md section 4, both categories)
    const RANK: Record<number, number> = { 1: 0, 2: 1, 5: 1, 4: 2, 6: 2, 200: 3, 100: 4 };
    const rank = (status: number) => RANK[status] ?? -1;
    const subRank = (status: number) => (status === 400 ? 0 : status === 401 ? 1 : 2);
    const cases = lifecycle.chain((facts) => fc.shuffledSubarray(facts, { minLength: facts.length }));

    fc.assert(
      fc.property(cases, (arrival) => {
        let shown: { status: number; subs: Map<string, number>; paid: boolean } | undefined;
        for (let i = 1; i <= arrival.length; i++) {
          // Act: what the Order Center would be shown after each arrival
          const projection = projectLifecycle(arrival.slice(0, i));
          if (!projection.ready) continue;
          const { data } = projection.view;
          const subs = new Map(
            (data.EXT.SubsOrder?.Items ?? []).map((item) => [item.SubOrderID, item.SubStatus]),
          );

          // Assess: status, payment and every after-sale status only move forward
          if (shown) {
            expect(rank(data.Status)).toBeGreaterThanOrEqual(rank(shown.status));
            expect(data.EXT.MainOrder.Payment.IsPayment || !shown.paid).toBe(true);
            for (const [id, before] of shown.subs)
              expect(subRank(subs.get(id) ?? 0)).toBeGreaterThanOrEqual(subRank(before));
          }
          shown = { status: data.Status, subs, paid: data.EXT.MainOrder.Payment.IsPayment };
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is fed lifecycles that reach every branch that matters', () => {
    // Prepare: a fixed sample, so that a generator that stops producing a case fails here.
    const sample = fc.sample(lifecycle, { numRuns: 400, seed: 20261128 });

    // Act
    const projections = sample.map(projectLifecycle);
    const views = projections.flatMap((p) => (p.ready ? [p.view] : []));
    const anomalyCodes = new Set(
      projections.flatMap((p) => (p.ready ? p.view.anomalies : p.anomalies)).map((a) => a.code),
    );

    // Assess
    expect(views.length).toBeGreaterThan(200);
    expect(projections.some((p) => !p.ready && p.paidByCashier)).toBe(true);
    expect(new Set(views.map((v) => v.data.Status))).toEqual(new Set([1, 2, 4, 5, 6, 100, 200]));
    expect(views.some((v) => v.data.EXT.MainOrder.Payment.IsPayment)).toBe(true);
    expect(views.some((v) => (v.data.EXT.SubsOrder?.Items.length ?? 0) > 1)).toBe(true);
    expect(new Set(views.flatMap((v) => v.data.EXT.SubsOrder?.Items.map((i) => i.SubStatus) ?? []))).toEqual(
      new Set([400, 401, 402, 403, 404, 407]),
    );
    expect(anomalyCodes).toEqual(new Set(['cashier-amount-mismatch', 'refund-without-request']));
    expect(views.some((v) => v.sceneId !== undefined)).toBe(true);
  });
});
