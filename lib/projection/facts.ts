import type { Fact, OrderSnapshot } from '../events/types';
import { InvalidInputError } from '../validation';

/** The fold order: occurredAt, then eventId (by code unit, so no locale can change it). */
export function compareFacts(a: Fact, b: Fact): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt - b.occurredAt;
  if (a.eventId === b.eventId) return 0;
  return a.eventId < b.eventId ? -1 : 1;
}

/**
 * The order's facts once each, in fold order, so that what is built from them depends only on the set.
 * An eventId names one fact (the ledger records it once), so a repeat is dropped whatever it holds.
 */
export function canonicalFacts(orderId: string, facts: readonly Fact[]): Fact[] {
  const byEventId = new Map<string, Fact>();
  facts.forEach((fact, index) => {
    if (fact.orderId !== orderId) {
      throw new InvalidInputError(
        [{ path: `facts[${index}].orderId`, message: `belongs to order ${fact.orderId}, not ${orderId}` }],
        'cannot project facts',
      );
    }
    if (!byEventId.has(fact.eventId)) byEventId.set(fact.eventId, fact);
  });
  return [...byEventId.values()].sort(compareFacts);
}

/** The snapshot of the latest fact that carries one (facts in fold order). */
export function latestSnapshot(ordered: readonly Fact[]): OrderSnapshot | undefined {
  for (let i = ordered.length - 1; i >= 0; i--) {
    const order = ordered[i].order;
    if (order !== undefined) return order;
  }
  return undefined;
}
