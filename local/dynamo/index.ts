import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import dynalite from 'dynalite';
import { DEFAULT_SCHEMA, load, Type } from 'js-yaml';

/** serverless.yml, the one declaration of the ledger table that deploys and tests share. */
export const SERVERLESS_YML = path.resolve(__dirname, '../../serverless.yml');

interface TableResource {
  Type: string;
  Properties: CreateTableCommandInput & Record<string, unknown>;
}

/** CloudFormation's short-form intrinsics (!Ref, !GetAtt, !Sub...), read as their long forms. */
const CFN_FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
];
const CFN_CONDITIONS = ['And', 'Equals', 'If', 'Not', 'Or'];
const CFN_SCHEMA = DEFAULT_SCHEMA.extend(
  [...CFN_FUNCTIONS, ...CFN_CONDITIONS, 'Ref', 'Condition'].flatMap((name) => {
    const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    return (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) =>
        new Type(`!${name}`, {
          kind,
          construct: (data: unknown) =>
            name === 'GetAtt' && typeof data === 'string' ? { [key]: data.split('.') } : { [key]: data },
        }),
    );
  }),
);

/**
 * The template's conditions as a deploy with its default parameters evaluates them; a test may set one
 * otherwise (e.g. HasPaymentCheckIndex false: the table the first upgrade deploy leaves).
 */
export const DEFAULT_CONDITIONS: Readonly<Record<string, boolean>> = { HasPaymentCheckIndex: true };

const isNoValue = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { Ref?: unknown }).Ref === 'AWS::NoValue';

/** Resolves `Fn::If` as CloudFormation would, given the conditions; AWS::NoValue drops the list entry or key. */
function resolveConditions(value: unknown, conditions: Readonly<Record<string, boolean>>): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveConditions(item, conditions)).filter((item) => !isNoValue(item));
  }
  if (typeof value !== 'object' || value === null) return value;
  const fnIf = (value as { 'Fn::If'?: unknown })['Fn::If'];
  if (Array.isArray(fnIf) && fnIf.length === 3 && typeof fnIf[0] === 'string') {
    const holds = conditions[fnIf[0]];
    if (holds === undefined) throw new Error(`serverless.yml: no value given for condition ${fnIf[0]}`);
    return resolveConditions(holds ? fnIf[1] : fnIf[2], conditions);
  }
  return Object.fromEntries(
    Object.entries(value)
      .map(([key, item]) => [key, resolveConditions(item, conditions)] as const)
      .filter(([, item]) => !isNoValue(item)),
  );
}

/** The ledger table's CreateTable input, taken from serverless.yml resources, with `tableName` as its name. */
export function ledgerTableDefinition(
  tableName: string,
  file = SERVERLESS_YML,
  conditions: Readonly<Record<string, boolean>> = DEFAULT_CONDITIONS,
): CreateTableCommandInput {
  const doc = load(readFileSync(file, 'utf8'), { schema: CFN_SCHEMA }) as {
    resources?: { Resources?: Record<string, TableResource> };
  };
  const resource = doc.resources?.Resources?.LedgerTable;
  if (resource?.Type !== 'AWS::DynamoDB::Table') {
    throw new Error(`${file}: resources.Resources.LedgerTable is not an AWS::DynamoDB::Table`);
  }
  // CloudFormation-only properties have no place in the CreateTable API.
  const {
    PointInTimeRecoverySpecification: _pitr,
    TimeToLiveSpecification: _ttl,
    Tags: _tags,
    ...properties
  } = resolveConditions(resource.Properties, conditions) as TableResource['Properties'];
  return { ...properties, TableName: tableName };
}

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** requests served so far, by DynamoDB operation (GetItem, UpdateItem...): what the bench counts per request */
  calls(): Record<string, number>;
  stop(): Promise<void>;
}

/** dynalite (in memory) on 127.0.0.1, with a client that points at it. */
export async function startLocalDynamo(options: { port?: number; host?: string } = {}): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const calls: Record<string, number> = {};
  server.on('request', (req: IncomingMessage) => {
    // X-Amz-Target: DynamoDB_20120810.<Operation>
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string') return;
    const operation = target.slice(target.indexOf('.') + 1);
    calls[operation] = (calls[operation] ?? 0) + 1;
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
  return {
    endpoint,
    client,
    calls: () => ({ ...calls }),
    async stop() {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((err?: Error) => (err ? reject(err) : resolve())),
      );
    },
  };
}

/** Creates the ledger table (as serverless.yml declares it) under `tableName`. */
export async function createLedgerTable(
  client: DynamoDBClient,
  tableName: string,
  conditions: Readonly<Record<string, boolean>> = DEFAULT_CONDITIONS,
): Promise<void> {
  await client.send(new CreateTableCommand(ledgerTableDefinition(tableName, SERVERLESS_YML, conditions)));
}
