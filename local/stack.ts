import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createLedgerTable, startLocalDynamo, type LocalDynamo } from './dynamo';
import { startLocalOrderCenter, type LocalOrderCenter } from './order-center';
import { startLocalSsm, type LocalSsm } from './ssm';

export interface LocalStackOptions {
  stage?: string;
  appKey?: string;
  /** fixed ports (npm start); default free ports */
  ports?: { dynamo?: number; ssm?: number; orderCenter?: number };
}

/** Secrets the local stack seeds into its SSM, handed to whoever plays Baidu or the merchant locally. */
export interface LocalSecrets {
  appSecret: string;
  webhookSecret: string;
  /** the local cashier's key pair: the demo and tests sign payment notifies with it */
  cashierPrivateKeyPem: string;
  cashierPublicKeyPem: string;
}

/** The whole service's surroundings on 127.0.0.1: DynamoDB (dynalite), SSM and the Order Center. */
export interface LocalStack {
  dynamo: LocalDynamo;
  ssm: LocalSsm;
  orderCenter: LocalOrderCenter;
  secrets: LocalSecrets;
  appKey: string;
  stage: string;
  tableName: string;
  /** the environment the functions run with against this stack (docs/contract.md section 7 plus the AWS endpoints) */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const secret = () => randomBytes(24).toString('base64url');

/** Starts the stand-ins, creates the ledger table from serverless.yml, and seeds SSM as a deploy would. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stage = options.stage ?? 'local';
  const appKey = options.appKey ?? 'local-app-key';
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const secrets: LocalSecrets = {
    appSecret: secret(),
    webhookSecret: secret(),
    cashierPrivateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cashierPublicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  const params = {
    accessToken: `/swan-order-sync/${stage}/access-token`,
    appSecret: `/swan-order-sync/${stage}/app-secret`,
    webhookSecret: `/swan-order-sync/${stage}/webhook-secret`,
    cashierPublicKey: `/swan-order-sync/${stage}/cashier-public-key`,
  };
  const tableName = `swan-order-sync-${stage}-ledger`;

  const started: { stop(): Promise<void> }[] = [];
  try {
    const dynamo = await startLocalDynamo({ port: options.ports?.dynamo });
    started.push(dynamo);
    await createLedgerTable(dynamo.client, tableName);
    const orderCenter = await startLocalOrderCenter({
      port: options.ports?.orderCenter,
      apps: [{ appKey, appSecret: secrets.appSecret }],
    });
    started.push(orderCenter);
    const ssm = await startLocalSsm({
      port: options.ports?.ssm,
      parameters: {
        [params.accessToken]: { value: orderCenter.issueToken(appKey) },
        [params.appSecret]: { value: secrets.appSecret },
        [params.webhookSecret]: { value: secrets.webhookSecret },
        [params.cashierPublicKey]: { value: secrets.cashierPublicKeyPem, type: 'String' },
      },
    });
    started.push(ssm);
    const env: Record<string, string> = {
      STAGE: stage,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SSM: ssm.url,
      ORDER_CENTER_BASE_URL: orderCenter.url,
      BAIDU_APP_KEY: appKey,
      ACCESS_TOKEN_PARAM: params.accessToken,
      APP_SECRET_PARAM: params.appSecret,
      WEBHOOK_SECRET_PARAM: params.webhookSecret,
      CASHIER_PUBLIC_KEY_PARAM: params.cashierPublicKey,
      CASHIER_APP_KEY: 'local-cashier-app-key',
      LEDGER_TABLE: tableName,
    };
    return {
      dynamo,
      ssm,
      orderCenter,
      secrets,
      appKey,
      stage,
      tableName,
      env,
      async stop() {
        await Promise.all(started.map((s) => s.stop()));
      },
    };
  } catch (err) {
    await Promise.allSettled(started.map((s) => s.stop()));
    throw err;
  }
}
