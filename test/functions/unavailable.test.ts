import { LedgerUnavailableError } from '../../lib/ledger/types';
import { resetService } from '../../lib/service';
import { handler as orderPlaced } from '../../functions/orderPlaced';
import { handler as paymentSucceeded } from '../../functions/paymentSucceeded';
import { uniqueId } from '../helpers/facts';
import { lambdaContext } from '../helpers/lambda';
import { startStackForHandlers } from '../helpers/stack';
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

/** Points one variable elsewhere for the test, and the service with it. */
function withEnv(name: string, value: string): void {
  const saved = process.env[name];
  process.env[name] = value;
  resetService();
  onCleanup(() => {
    if (saved === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = saved;
    resetService();
  });
}

const cleanups: (() => void)[] = [];
const onCleanup = (cleanup: () => void) => cleanups.push(cleanup);
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const placed = () => orderEvents(uniqueId('unavailable'))['order-placed']();

describe('when the ledger cannot be written', () => {
  beforeEach(() => withEnv('LEDGER_TABLE', 'swan-order-sync-missing-ledger'));

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
    withEnv('WEBHOOK_SECRET_PARAM', '/swan-order-sync/local/missing-webhook-secret');

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
    withEnv('CASHIER_PUBLIC_KEY_PARAM', '/swan-order-sync/local/missing-cashier-public-key');
    const form = signedForm(cashierFields(uniqueId('tp')), stack.secrets.cashierPrivateKeyPem);

    // Act
    const answer = await callHttp(paymentSucceeded, cashierRequest(form));

    // Assess
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ errno: 503, error: { code: 'parameter_store_unavailable' } });
  });
});

describe('a fault of our own', () => {
  it('answers a logged 500 when the configuration is broken, never for the request', async () => {
    // Prepare
    withEnv('BAIDU_APP_KEY', '');

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
