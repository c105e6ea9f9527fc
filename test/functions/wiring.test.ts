import { loadConfig } from '../../lib/config';
import { resetParameterStore } from '../../lib/parameter-store';
import {
  containerService,
  createEventService,
  createMerchantEventService,
  createReconcileService,
  createService,
} from '../../lib/service';

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
  const PUSH = ['client', 'config', 'inlineBreaker', 'ledger', 'ssm', 'sync', 'tokens'];

  it('the push holds no request secret and no cashier query', () => {
    expect(Object.keys(createService(config)).sort()).toEqual(PUSH);
  });

  it("reconcile's service adds the cashier's query, only with CASHIER_APP_KEY", () => {
    const withKey = createReconcileService({ ...config, cashierAppKey: 'wiring-pm-app-key' });
    expect(Object.keys(withKey).sort()).toEqual([...PUSH, 'cashier'].sort());
    expect(withKey.cashier).toBeDefined();
    expect(withKey.sync.paymentCheckAfterMinutes).toBe(config.paymentCheckAfterMinutes);
    const without = createReconcileService(config);
    expect(without.cashier).toBeUndefined();
    expect(without.sync.paymentCheckAfterMinutes).toBeUndefined();
  });

  it('a function taking merchant events only adds the webhook secret, read on first use', () => {
    expect(Object.keys(createMerchantEventService(config)).sort()).toEqual([...PUSH, 'webhookSecret'].sort());
  });

  it("a function taking the cashier's callbacks adds the cashier key as well, read on first use", () => {
    expect(Object.keys(createEventService(config)).sort()).toEqual(
      [...PUSH, 'cashierPublicKey', 'webhookSecret'].sort(),
    );
  });

  it("an event function's push keeps the awaiting-check index when the cashier can be asked, as reconcile's does", () => {
    const keyed = { ...config, cashierAppKey: 'wiring-pm-app-key' };
    expect(createEventService(keyed).sync).toEqual({
      ...createReconcileService(keyed).sync,
      ledger: expect.anything(),
      client: expect.anything(),
    });
    expect(createEventService(keyed).sync.paymentCheckAfterMinutes).toBe(config.paymentCheckAfterMinutes);
  });
});
