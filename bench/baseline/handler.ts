import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';

/**
 * The cold-start baseline: the smallest useful Lambda of this stack (middy, and one SSM parameter read
 * with the AWS SDK v3), bundled with the same esbuild options as the service's functions.
 */
const ssm = new SSMClient({});

async function readParameter(): Promise<{ length: number }> {
  const reply = await ssm.send(
    new GetParameterCommand({ Name: process.env.BASELINE_PARAM ?? '/baseline/param', WithDecryption: true }),
  );
  return { length: reply.Parameter?.Value?.length ?? 0 };
}

export const handler = middy(readParameter);
