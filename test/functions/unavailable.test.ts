import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../../lib/config';
import { lifecycleHandler } from '../../lib/http';
import { CASHIER_REPLY_MS } from '../../lib/http/cashier';
import { LedgerUnavailableError } from '../../lib/ledger/types';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { awsClientSettings } from '../../lib/aws-clients';
import { createEventService, type ServiceOverrides } from '../../lib/service';
import { triggers as orderPlacedTriggers } from '../../functions/orderPlaced';
import { triggers as paymentSucceededTriggers } from '../../functions/paymentSucceeded';
import { uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';
import { wired } from '../helpers/wired';
import {
  callHttp,
  captureLogs,
  cashierFields,
  cashierRequest,
  merchantRequest,
  orderEvents,
  signedForm,
} from '../http/helpers';

let stack: Awaited<ReturnType<typeof startStackForHandlers>>;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  stack = await startStackForHandlers();
  logs = captureLogs();
});

afterAll(async () => {
  logs.restore();
  await stack.stopAndRestore();
});

/** The two functions wired to a service of this stack with a setting changed (a missing table or key). */
const wiredWith = (changes: Partial<Config>, clients: ServiceOverrides = {}) => {
  const service = stack.serviceWith(changes, clients);
  return {
    orderPlaced: wired(orderPlacedTriggers, service),
    paymentSucceeded: wired(paymentSucceededTriggers, service),
  };
};

const placed = () => orderEvents(uniqueId('unavailable'))['order-placed']();

describe('when the ledger cannot be written', () => {
  let orderPlaced: ReturnType<typeof wiredWith>['orderPlaced'];
  let paymentSucceeded: ReturnType<typeof wiredWith>['paymentSucceeded'];
  beforeAll(
    () => ({ orderPlaced, paymentSucceeded } = wiredWith({ ledgerTable: 'swan-order-sync-missing-ledger' })),
  );

  it('a merchant event gets 503 ledger_unavailable', async () => {
    // Act
    const answer = await callHttp(
      orderPlaced,
      merchantRequest('order-placed', placed(), stack.secrets.webhookSecret),
    );

    // Assess
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      error: { code: 'ledger_unavailable', message: expect.stringMatching(/retry/), details: [] },
    });
  });

  it('a cashier notify gets 503 with errno ≠ 0, so Baidu retries', async () => {
    // Prepare
    const form = signedForm(cashierFields(uniqueId('tp')), stack.secrets.cashierPrivateKeyPem);

    // Act
    const answer = await callHttp(paymentSucceeded, cashierRequest(form));

    // Assess
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ errno: 503, error: { code: 'ledger_unavailable' } });
  });

  it('a direct invoke fails with LedgerUnavailableError', async () => {
    await expect(orderPlaced(placed(), lambdaContext('orderPlaced'))).rejects.toThrow(LedgerUnavailableError);
  });
});

describe('when the key to check a request cannot be read from SSM', () => {
  it('a merchant event gets 503 parameter_store_unavailable', async () => {
    // Prepare
    const { orderPlaced } = wiredWith({
      webhookSecretParam: '/swan-order-sync/local/missing-webhook-secret',
    });

    // Act
    const answer = await callHttp(
      orderPlaced,
      merchantRequest('order-placed', placed(), stack.secrets.webhookSecret),
    );

    // Assess
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ error: { code: 'parameter_store_unavailable' } });
  });

  it('a cashier notify gets 503 with errno ≠ 0', async () => {
    // Prepare
    const { paymentSucceeded } = wiredWith({
      cashierPublicKeyParam: '/swan-order-sync/local/missing-cashier-public-key',
    });
    const form = signedForm(cashierFields(uniqueId('tp')), stack.secrets.cashierPrivateKeyPem);

    // Act
    const answer = await callHttp(paymentSucceeded, cashierRequest(form));

    // Assess
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ errno: 503, error: { code: 'parameter_store_unavailable' } });
  });
});

describe('when DynamoDB or SSM hangs (accepts the connection, never answers)', () => {
  let hung: Server;
  let hungUrl = '';

  beforeAll(async () => {
    hung = createServer(() => undefined); // holds every connection open, answers nothing
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    hung.closeAllConnections();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
  });

  it.each(['DynamoDB', 'SSM'])(
    'a cashier notify is answered 503 by the reply deadline when %s hangs, so Baidu retries',
    async (name) => {
      // Prepare: a service whose client of that AWS service (a webhook's timeouts) talks to a server that
      // never answers
      const settings = {
        ...awsClientSettings('webhook'),
        endpoint: hungUrl,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      };
      const clients =
        name === 'DynamoDB' ? { dynamo: new DynamoDBClient(settings) } : { ssm: new SSMClient(settings) };
      const { paymentSucceeded } = wiredWith({}, clients);
      const form = signedForm(cashierFields(uniqueId('tp')), stack.secrets.cashierPrivateKeyPem);

      // Act
      const started = Date.now();
      const answer = await callHttp(paymentSucceeded, cashierRequest(form));
      const took = Date.now() - started;

      // Assess: the reply deadline (1.7 s) answered, not the SDK's retries nor the Lambda's timeout. The bound
      // is looser than Baidu's 2 s only by what a loaded test machine may add to a timer.
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ errno: 503 });
      expect(took).toBeGreaterThanOrEqual(CASHIER_REPLY_MS - 50);
      expect(took).toBeLessThan(CASHIER_REPLY_MS + 1_000);
    },
  );
});

describe('a fault of our own', () => {
  it('answers a logged 500 when the configuration is broken, never for the request', async () => {
    // Prepare
    // a function's service is built on its first request, from the configuration it reads then
    const orderPlaced = lifecycleHandler(
      orderPlacedTriggers(() => createEventService(loadConfig({ ...stack.env, BAIDU_APP_KEY: '' }))),
    );

    // Act
    const answer = await callHttp(
      orderPlaced,
      merchantRequest('order-placed', placed(), stack.secrets.webhookSecret),
    );

    // Assess
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ error: { code: 'internal_error' } });
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'internal fault',
        error: expect.objectContaining({ name: 'ConfigError' }),
      }),
    );
  });
});
