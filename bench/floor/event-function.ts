import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';

/**
 * The floor of an event function (issue 21): what any function that records to DynamoDB and reads a
 * secret from SSM must load. middy core, an SSM client, a DynamoDB client and its document client, each
 * constructed at load, bundled with the same esbuild settings as the service's functions.
 */
const ssm = new SSMClient({});
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

async function recordOne(event: { id?: string }): Promise<{ length: number }> {
  const secret = await ssm.send(new GetParameterCommand({ Name: '/floor/secret', WithDecryption: true }));
  await doc.send(
    new UpdateCommand({
      TableName: 'floor',
      Key: { id: event.id ?? 'x' },
      UpdateExpression: 'SET seen = :t',
      ExpressionAttributeValues: { ':t': Date.now() },
    }),
  );
  return { length: secret.Parameter?.Value?.length ?? 0 };
}

export const handler = middy(recordOne);
