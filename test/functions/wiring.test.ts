import { loadConfig } from '../../lib/config';
import { resetParameterStore } from '../../lib/parameter-store';
import { containerService, createEventService, createService } from '../../lib/service';

// Issue 18 point 3 and issue 21: a function file wires its service into its routes once; the service is
// built on the first request (configuration read, clients constructed), never at load, and then kept.

const env = {
  BAIDU_APP_KEY: 'wiring-app-key',
  AWS_REGION: 'us-east-1',
  LEDGER_TABLE: 'wiring-ledger',
};

const saved = process.env;
afterEach(() => {
  process.env = saved;
  resetParameterStore();
});

describe('containerService', () => {
  it('builds nothing until first asked, then builds once from the configuration, and keeps it', () => {
    // Prepare
    process.env = { ...saved, ...env };
    resetParameterStore();
    const create = jest.fn(({ config }: { config: { ledgerTable: string } }) => ({
      table: config.ledgerTable,
    }));

    // Act
    const source = containerService('webhook', create);
    const before = create.mock.calls.length;
    const first = source();
    const second = source();

    // Assess
    expect(before).toBe(0);
    expect(create).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
    expect(first).toEqual({ table: 'wiring-ledger' });
  });
});

describe('a function file', () => {
  it.each([
    'orderPlaced',
    'paymentSucceeded',
    'refundRequested',
    'refundUpdated',
    'reconcile',
    'reconcileWorker',
  ])('%s loads with no configuration at all: it is read on the first request', (name) => {
    process.env = { PATH: saved.PATH };
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh load of the module, as a cold container does
      const loaded = require(`../../functions/${name}`) as { handler: unknown };
      expect(typeof loaded.handler).toBe('function');
    });
  });
});

describe('what each function is wired with', () => {
  const config = loadConfig(env);

  it("reconcile's service holds the push and no request secret", () => {
    expect(Object.keys(createService(config)).sort()).toEqual([
      'cashier',
      'client',
      'config',
      'inlineBreaker',
      'ledger',
      'ssm',
      'sync',
      'tokens',
    ]);
  });

  it("an event function's service adds the webhook secret and the cashier key, read on first use", () => {
    expect(Object.keys(createEventService(config)).sort()).toEqual([
      'cashier',
      'cashierPublicKey',
      'client',
      'config',
      'inlineBreaker',
      'ledger',
      'ssm',
      'sync',
      'tokens',
      'webhookSecret',
    ]);
  });
});
