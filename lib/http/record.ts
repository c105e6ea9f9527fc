import type { Context } from 'aws-lambda';
import type { Fact } from '../events/types';
import { intakeFact, type IntakeReply } from '../intake';
import { logger } from '../logger';
import type { OrderService } from '../service';

/** How long a merchant event may wait on Baidu before the reply goes: the rest is reconcile's. */
export const MERCHANT_PUSH_BUDGET_MS = 1_500;
/** Baidu's cashier wants its answer within 2 s, SSM and the ledger included. */
export const CASHIER_PUSH_BUDGET_MS = 1_200;
/** Lambda time kept back after the push for the reply and the log line. */
export const REPLY_MARGIN_MS = 500;

/** When the push must be over: the budget, or less when the Lambda's own time is shorter. */
export function pushDeadline(
  now: number,
  budgetMs: number,
  context?: Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
): number {
  const remaining =
    typeof context?.getRemainingTimeInMillis === 'function'
      ? context.getRemainingTimeInMillis()
      : Number.POSITIVE_INFINITY;
  return now + Math.max(0, Math.min(budgetMs, remaining - REPLY_MARGIN_MS));
}

/**
 * Records the fact and pushes it within the budget. Its ids, and then how it went, join every log line
 * of the request (the stack's logger middleware drops them when the request ends).
 */
export async function intakeWithinBudget(
  service: OrderService,
  fact: Fact,
  context: Context,
  budgetMs: number,
): Promise<IntakeReply> {
  logger.appendKeys({ orderId: fact.orderId, eventId: fact.eventId });
  const now = Date.now();
  const reply = await intakeFact(service, fact, {
    pushDeadline: pushDeadline(now, budgetMs, context),
  });
  logger.appendKeys({ duplicate: reply.duplicate, sync: reply.sync });
  if (reply.conflict)
    logger.warn('a Baidu callback reused a recorded key for other content; noted on the order');
  return reply;
}
