import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** What Lambda writes to an on-failure destination for an asynchronous invocation it gave up on. */
export interface FailedInvocation {
  requestContext: {
    requestId?: string;
    functionArn: string;
    condition?: string;
    approximateInvokeCount?: number;
  };
  requestPayload: unknown;
  responsePayload?: { errorType?: string; errorMessage?: string } | null;
}

export interface ReplayedMessage {
  messageId: string;
  functionArn?: string;
  condition?: string;
  error?: string;
  /** listed: only looked at; replayed: invoked again and removed; failed: still failing, left in the queue */
  outcome: 'listed' | 'replayed' | 'failed' | 'unreadable';
  detail?: string;
}

export interface ReplayOptions {
  sqs: Pick<SQSClient, 'send'>;
  lambda: Pick<LambdaClient, 'send'>;
  queueUrl: string;
  /** look only: nothing is invoked or removed */
  list: boolean;
  /** at most this many messages (default 100) */
  max?: number;
}

function parseFailedInvocation(body: string | undefined): FailedInvocation | undefined {
  try {
    const parsed = JSON.parse(body ?? '') as Partial<FailedInvocation>;
    return typeof parsed.requestContext?.functionArn === 'string' && 'requestPayload' in parsed
      ? (parsed as FailedInvocation)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replays failed asynchronous invocations: each message's payload goes to the function it failed in, as a
 * synchronous invoke; a message is removed only once that invoke succeeded. A message that fails again,
 * or that is not a Lambda failure record, stays (visible again after 60 s; kept 14 days in all).
 */
export async function replayFailed(options: ReplayOptions): Promise<ReplayedMessage[]> {
  const max = options.max ?? 100;
  const seen = new Set<string>();
  const results: ReplayedMessage[] = [];
  while (results.length < max) {
    const received = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(10, max - results.length),
        // hidden from other readers while this run looks at them; back in the queue afterwards
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
      }),
    );
    const messages = (received.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (messages.length === 0) break;
    for (const message of messages) {
      const messageId = message.MessageId!;
      seen.add(messageId);
      const record = parseFailedInvocation(message.Body);
      if (!record) {
        results.push({
          messageId,
          outcome: 'unreadable',
          detail: 'not a Lambda on-failure record; left in the queue',
        });
        continue;
      }
      const base = {
        messageId,
        functionArn: record.requestContext.functionArn,
        condition: record.requestContext.condition,
        error: record.responsePayload?.errorType
          ? `${record.responsePayload.errorType}: ${record.responsePayload.errorMessage ?? ''}`
          : undefined,
      };
      if (options.list) {
        results.push({ ...base, outcome: 'listed', detail: JSON.stringify(record.requestPayload) });
        continue;
      }
      const invoked = await options.lambda.send(
        new InvokeCommand({
          FunctionName: record.requestContext.functionArn,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify(record.requestPayload ?? {})),
        }),
      );
      const reply = invoked.Payload ? new TextDecoder().decode(invoked.Payload) : '';
      if (invoked.FunctionError) {
        results.push({ ...base, outcome: 'failed', detail: reply });
        continue;
      }
      await options.sqs.send(
        new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
      results.push({ ...base, outcome: 'replayed', detail: reply });
    }
  }
  return results;
}
