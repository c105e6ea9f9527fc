import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Fact } from '../../lib/events/types';

/**
 * Records a fact as the first release did: the whole fact (snapshot included) in f#<eventId>, no
 * fingerprint, no snapshot held on the item. Items in that shape are in tables already.
 */
export async function recordFirstReleaseFact(
  client: DynamoDBClient,
  tableName: string,
  f: Fact,
  at: number,
): Promise<void> {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const values: Record<string, unknown> = {
    ':fact': f,
    ':pending': 'pending',
    ':at': at,
    ':zero': 0,
    ':one': 1,
  };
  let set =
    'SET #f = :fact, syncState = :pending, syncQueue = :pending, nextAttemptAt = :at, attempts = :zero, ' +
    'updatedAt = :at, createdAt = if_not_exists(createdAt, :at)';
  if (f.order) {
    set += ', openId = :openId';
    values[':openId'] = f.order.openId;
  }
  await doc
    .send(
      new UpdateCommand({
        TableName: tableName,
        Key: { orderId: f.orderId },
        UpdateExpression: `${set} ADD version :one`,
        ConditionExpression: 'attribute_not_exists(#f)',
        ExpressionAttributeNames: { '#f': `f#${f.eventId}` },
        ExpressionAttributeValues: values,
      }),
    )
    .catch((err: unknown) => {
      // the first release's duplicate: nothing written
      if (!(err instanceof Error && err.name === 'ConditionalCheckFailedException')) throw err;
    });
}
