/**
 * One budget of Order Center calls per second for all functions together (BAIDU_MAX_QPS, CONTRACT
 * section 9). The port: the client takes a slot before every attempt and reports Baidu's quota errors.
 */
export interface CallBudget {
  /** Waits for one call's slot; false when none comes before `deadline` (epoch ms): then no call is made. */
  take(deadline: number): Promise<boolean>;
  /** Baidu said the call quota is exceeded: every instance holds off for a while. */
  pause(): Promise<void>;
}

/** No budget: every call goes (tests of other things, tools). */
export const UNLIMITED: CallBudget = {
  take: () => Promise.resolve(true),
  pause: () => Promise.resolve(),
};

export { createDynamoBudget, budgetKey, type DynamoBudgetOptions } from './dynamo-budget';
