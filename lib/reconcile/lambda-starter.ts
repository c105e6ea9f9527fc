import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { awsClientSettings } from '../aws-clients';
import type { WorkerStarter } from './fan-out';

/** The worker's payload: what parseReconcileCommand reads as `{ kind: 'worker' }`. */
export const workerEvent = (shard: number) => ({ shard });

/**
 * Starts workers through the Lambda Invoke API, asynchronously (InvocationType Event), on the worker
 * function (reconcileWorker: a function of its own, so that reconcile's one-at-a-time limit does not
 * throttle them). Only reconcile's bundle loads the Lambda client. The endpoint comes from the SDK's own
 * settings (AWS_ENDPOINT_URL_LAMBDA locally).
 */
export function createLambdaStarter(options: { functionName: string; client?: LambdaClient }): WorkerStarter {
  const client = options.client ?? new LambdaClient(awsClientSettings('reconcile'));
  return {
    async start(shard) {
      const out = await client.send(
        new InvokeCommand({
          FunctionName: options.functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(workerEvent(shard))),
        }),
      );
      if (out.StatusCode !== 202) throw new Error(`invoke ${options.functionName}: status ${out.StatusCode}`);
    },
  };
}
