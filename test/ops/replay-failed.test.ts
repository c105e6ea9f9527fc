import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { replayFailed } from '../../scripts/ops/replay-failed';

/** An in-memory queue behind the SQS mock: receive hands out what is left, delete removes it. */
function fakeQueue(messages: Message[]) {
  const left = new Map(messages.map((m) => [m.ReceiptHandle!, m]));
  const sqs = mockClient(SQSClient);
  sqs.on(ReceiveMessageCommand).callsFake((input: { MaxNumberOfMessages: number }) => ({
    Messages: [...left.values()].slice(0, input.MaxNumberOfMessages),
  }));
  sqs.on(DeleteMessageCommand).callsFake((input: { ReceiptHandle: string }) => {
    left.delete(input.ReceiptHandle);
    return {};
  });
  return { sqs, left };
}

const ARN = 'arn:aws:lambda:ap-southeast-1:123456789012:function:swan-order-sync-staging-shipped';
const record = (payload: unknown, id: string): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: JSON.stringify({
    requestContext: { functionArn: ARN, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: payload,
    responsePayload: { errorType: 'LedgerUnavailableError', errorMessage: 'ledger down' },
  }),
});

describe('replay-failed', () => {
  const lambdaMock = mockClient(LambdaClient);
  afterEach(() => lambdaMock.reset());

  it('invokes each payload on its function again and removes only what succeeded', async () => {
    // Prepare: two failures; the function now succeeds for the first and still fails for the second
    const { sqs, left } = fakeQueue([record({ eventId: 'ok' }, 'm1'), record({ eventId: 'bad' }, 'm2')]);
    const invoked: unknown[] = [];
    lambdaMock.on(InvokeCommand).callsFake((input: { FunctionName: string; Payload: Uint8Array }) => {
      const payload = JSON.parse(new TextDecoder().decode(input.Payload)) as { eventId: string };
      invoked.push({ fn: input.FunctionName, payload });
      return payload.eventId === 'ok'
        ? { StatusCode: 200, Payload: new TextEncoder().encode('{"duplicate":false}') }
        : {
            StatusCode: 200,
            FunctionError: 'Unhandled',
            Payload: new TextEncoder().encode('{"errorType":"X"}'),
          };
    });

    // Act
    const results = await replayFailed({
      sqs: new SQSClient({}),
      lambda: new LambdaClient({}),
      queueUrl: 'q',
      list: false,
    });

    // Assess
    expect(invoked).toEqual([
      { fn: ARN, payload: { eventId: 'ok' } },
      { fn: ARN, payload: { eventId: 'bad' } },
    ]);
    expect(results.map((r) => [r.messageId, r.outcome])).toEqual([
      ['m1', 'replayed'],
      ['m2', 'failed'],
    ]);
    expect(results[0]!.error).toBe('LedgerUnavailableError: ledger down');
    expect([...left.keys()]).toEqual(['rh-m2']);
    sqs.restore();
  });

  it('with --list invokes nothing and removes nothing', async () => {
    const { sqs, left } = fakeQueue([record({ eventId: 'a' }, 'm1')]);
    const results = await replayFailed({
      sqs: new SQSClient({}),
      lambda: new LambdaClient({}),
      queueUrl: 'q',
      list: true,
    });
    expect(results).toMatchObject([{ messageId: 'm1', outcome: 'listed', detail: '{"eventId":"a"}' }]);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(left.size).toBe(1);
    sqs.restore();
  });

  it('leaves a message that is not a Lambda failure record where it is', async () => {
    const { sqs, left } = fakeQueue([{ MessageId: 'x', ReceiptHandle: 'rh-x', Body: 'hello' }]);
    const results = await replayFailed({
      sqs: new SQSClient({}),
      lambda: new LambdaClient({}),
      queueUrl: 'q',
      list: false,
    });
    expect(results).toMatchObject([{ messageId: 'x', outcome: 'unreadable' }]);
    expect(left.size).toBe(1);
    sqs.restore();
  });
});
