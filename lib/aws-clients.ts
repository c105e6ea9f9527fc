/**
 * Connection and request timeouts, and attempts, of every AWS SDK client, by who waits on them. Without
 * them a hung DynamoDB or SSM connection waits for the Lambda's own timeout.
 * - webhook: a cashier notify must be answered within 2 s, SSM read and ledger write included: 2 attempts,
 *   a bounded connect (3 s: a connect to DynamoDB takes milliseconds in AWS, but a burst of 100 pushes
 *   opening sockets to a stand-in on a loaded test machine took over 1 s, and failed the pushes). The SDK's request timeout only logs unless told to throw; a webhook leaves it so:
 *   lib/http's cashier route answers 503 at its reply deadline whatever is still waiting (Baidu retries,
 *   and a retry is a duplicate), and a merchant's backend has the Lambda's 10 s.
 * - reconcile: minutes of budget: a hung call is abandoned after 10 s and tried again (4 attempts); a
 *   slow answer is better waited for than retried, so the bound is far above a loaded machine's slowest.
 */
export type ClientRole = 'webhook' | 'reconcile';

export interface AwsClientSettings {
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
}

const SETTINGS: Record<ClientRole, AwsClientSettings> = {
  webhook: {
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 1_500, throwOnRequestTimeout: false },
  },
  reconcile: {
    maxAttempts: 4,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
  },
};

export function awsClientSettings(role: ClientRole): AwsClientSettings {
  const settings = SETTINGS[role];
  return { maxAttempts: settings.maxAttempts, requestHandler: { ...settings.requestHandler } };
}
