declare module 'dynalite/db' {
  import type { AttributeValue } from '@aws-sdk/client-dynamodb';
  /** The item's size as dynalite bills it (DynamoDB's rule: attribute names and values, in bytes). */
  export function itemSize(item: Record<string, AttributeValue>): number;
}
