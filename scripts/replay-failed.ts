/**
 * Looks at, or replays, the asynchronous invocations that failed for good (the stage's on-failure queue,
 * swan-order-sync-<stage>-failed-invocations):
 *
 *   npm run replay-failed -- --stage staging --region ap-southeast-1 --list   # look only
 *   npm run replay-failed -- --stage staging --region ap-southeast-1          # replay, remove what succeeds
 *
 * Uses your AWS credentials (AWS_PROFILE, ...). Each payload is invoked again, synchronously, on the
 * function it failed in; recording is idempotent on eventId, so replaying an event that did get through
 * is acknowledged as a duplicate, not applied twice.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseArgs } from 'node:util';
import { replayFailed } from './ops/replay-failed';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string' },
      region: { type: 'string' },
      list: { type: 'boolean', default: false },
      max: { type: 'string', default: '100' },
    },
  });
  if (!values.stage || !values.region) {
    throw new Error('--stage and --region are required, e.g. --stage staging --region ap-southeast-1');
  }
  const max = Number(values.max);
  if (!Number.isInteger(max) || max < 1)
    throw new Error(`--max must be a positive integer, got ${values.max}`);
  const queueName = `swan-order-sync-${values.stage}-failed-invocations`;
  const sqs = new SQSClient({ region: values.region });
  const lambda = new LambdaClient({ region: values.region });
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const results = await replayFailed({ sqs, lambda, queueUrl: QueueUrl!, list: values.list, max });
  for (const r of results) console.log(JSON.stringify(r));
  const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
  console.log(
    `${queueName}: ${results.length} message(s); ` +
      (values.list
        ? 'listed only'
        : `${count('replayed')} replayed and removed, ${count('failed')} failed again, ${count('unreadable')} unreadable (left in the queue)`),
  );
  if (count('failed') + count('unreadable') > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(`replay-failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
