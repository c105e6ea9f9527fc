/**
 * Connection and request timeouts, and attempts, of every AWS SDK client, by who waits on them. Without
 * them a hung DynamoDB or SSM connection waits for the Lambda's own timeout.
 * - webhook: a cashier notify must be answered within 2 s, SSM read and ledger write included:
 *   2 attempts of at most 1 s each (lib/http's cashier route answers 503 at 1.9 s whatever happens).
 * - reconcile: minutes of budget; a slow call is better waited for than retried.
 */
export type ClientRole = 'webhook' | 'reconcile';

export interface AwsClientSettings {
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

const SETTINGS: Record<ClientRole, AwsClientSettings> = {
  webhook: { maxAttempts: 2, requestHandler: { connectionTimeout: 500, requestTimeout: 1_000 } },
  reconcile: { maxAttempts: 4, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 } },
};

export function awsClientSettings(role: ClientRole): AwsClientSettings {
  const settings = SETTINGS[role];
  return { maxAttempts: settings.maxAttempts, requestHandler: { ...settings.requestHandler } };
}
