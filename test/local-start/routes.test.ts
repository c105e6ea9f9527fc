import { readdirSync } from 'node:fs';
import path from 'node:path';
import { lambdaFunctionName, loadServiceDeclaration, serviceDeclaration } from '../../local/start/routes';

describe('serviceDeclaration', () => {
  it('lists every function and each httpApi route with the function behind it', () => {
    // Prepare
    const doc = {
      service: 'shop',
      functions: {
        paid: {
          events: [
            { httpApi: { method: 'post', path: '/baidu/payment-notify' } },
            { httpApi: { method: 'POST', path: '/events/payment-succeeded' } },
          ],
        },
        sweep: { events: [{ schedule: { rate: 'rate(5 minutes)' } }] },
        bare: null,
      },
    };

    // Act
    const declared = serviceDeclaration(doc);

    // Assess
    expect(declared).toEqual({
      service: 'shop',
      functions: ['paid', 'sweep', 'bare'],
      routes: [
        { method: 'POST', path: '/baidu/payment-notify', fn: 'paid' },
        { method: 'POST', path: '/events/payment-succeeded', fn: 'paid' },
      ],
    });
  });

  it.each([
    ['no document', undefined, 'service is missing'],
    ['no service', { functions: {} }, 'service is missing'],
    ['no functions', { service: 'shop' }, 'functions is missing'],
  ])('refuses %s, saying what is missing', (_what, doc, message) => {
    expect(() => serviceDeclaration(doc)).toThrow(message);
  });
});

describe('loadServiceDeclaration (the repository serverless.yml)', () => {
  const declared = loadServiceDeclaration();

  it('declares one function per file in functions/', () => {
    const files = readdirSync(path.resolve(__dirname, '../../functions')).map((file) =>
      file.replace(/\.ts$/, ''),
    );

    expect(declared.service).toBe('swan-order-sync');
    expect([...declared.functions].sort()).toEqual(files.sort());
  });

  it("serves the cashier's three callbacks and the seven merchant event routes", () => {
    expect(declared.routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'POST /baidu/payment-notify',
      'POST /baidu/refund-audit',
      'POST /baidu/refund-notify',
      'POST /events/order-closed',
      'POST /events/order-completed',
      'POST /events/order-placed',
      'POST /events/payment-succeeded',
      'POST /events/refund-requested',
      'POST /events/refund-updated',
      'POST /events/shipped',
    ]);
  });
});

describe('lambdaFunctionName', () => {
  it('is <service>-<stage>-<function>, as serverless names deployed functions', () => {
    expect(lambdaFunctionName('swan-order-sync', 'local', 'reconcile')).toBe(
      'swan-order-sync-local-reconcile',
    );
  });
});
