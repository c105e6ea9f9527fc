/**
 * Connection and request timeouts, and attempts, of every AWS SDK client, by who waits on them. Without
 * them a hung DynamoDB or SSM connection waits for the Lambda's own timeout.
 * - webhook: a cashier notify must be answered within 2 s, SSM read and ledger write included: 2 attempts,
 *   each bounded; lib/http's cashier route answers 503 at its reply deadline whatever is still waiting, so
 *   these bound the wait of a hung call without having to fit the 2 s on their own.
 * - reconcile: minutes of budget; a slow call is better waited for than retried.
 */
export type ClientRole = 'webhook' | 'reconcile';

export interface AwsClientSettings {
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

const SETTINGS: Record<ClientRole, AwsClientSettings> = {
  webhook: { maxAttempts: 2, requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_500 } },
  reconcile: { maxAttempts: 4, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 } },
};

export function awsClientSettings(role: ClientRole): AwsClientSettings {
  const settings = SETTINGS[role];
  return { maxAttempts: settings.maxAttempts, requestHandler: { ...settings.requestHandler } };
}
