import { SSMClient } from '@aws-sdk/client-ssm';

/**
 * A real SSM client pointed at the stand-in: fixed region, throwaway credentials (signatures are not
 * checked), one attempt so a failure shows at once instead of after the SDK's retries.
 */
export function createLocalSsmClient(url: string): SSMClient {
  return new SSMClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}
