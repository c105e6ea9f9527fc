import { startBanner, type BannerInput } from '../../local/start/banner';

const input: BannerInput = {
  urls: {
    orderCenter: 'http://127.0.0.1:4010',
    httpApi: 'http://127.0.0.1:3000',
    lambda: 'http://127.0.0.1:3002',
    ssm: 'http://127.0.0.1:4011',
    dynamo: 'http://127.0.0.1:4012',
  },
  ports: { orderCenter: 4010, ssm: 4011, dynamo: 4012, http: 3000, lambda: 3002 },
  routes: [
    { method: 'POST', path: '/baidu/payment-notify', fn: 'paymentSucceeded' },
    { method: 'POST', path: '/events/shipped', fn: 'shipped' },
  ],
  reconcileFunctionName: 'swan-order-sync-local-reconcile',
  tableName: 'swan-order-sync-local-ledger',
  reconcileEveryMinutes: 5,
  webhookSecret: 'local-webhook-secret-value',
  files: {
    webhookSecret: '.local/webhook-secret',
    cashierPrivateKey: '.local/cashier-private-key.pem',
    cashierPublicKey: '.local/cashier-public-key.pem',
    env: '.local/env',
  },
  startedInMs: 4321,
};

describe('startBanner', () => {
  const banner = startBanner(input);

  it.each([
    ['the Order Center page', 'http://127.0.0.1:4010/ '],
    ['its JSON', 'http://127.0.0.1:4010/orders'],
    ['the HTTP API base', 'HTTP API             http://127.0.0.1:3000'],
    ['each route with its function', 'POST http://127.0.0.1:3000/baidu/payment-notify   paymentSucceeded'],
    ['the other route', 'POST http://127.0.0.1:3000/events/shipped'],
    ['the Lambda endpoint', 'http://127.0.0.1:3002/2015-03-31/functions/<name>/invocations'],
    ['a reconcile invoke', 'functions/swan-order-sync-local-reconcile/invocations'],
    ['the table', 'table swan-order-sync-local-ledger'],
    ['the SSM stand-in', 'http://127.0.0.1:4011'],
    ['the schedule', 'reconcile every 5 minutes (LOCAL_RECONCILE_MINUTES)'],
    ['the port variables', 'LOCAL_HTTP_PORT=3000 LOCAL_LAMBDA_PORT=3002'],
    ['the webhook secret', 'local-webhook-secret-value'],
    ['the private key file', '.local/cashier-private-key.pem'],
    ['the public key file', '.local/cashier-public-key.pem'],
    ['how long it took', 'ready in 4.3 s'],
    ['how to stop', 'Ctrl-C stops everything'],
    [
      'a ready invoke local line',
      `env $(cat .local/env) npx serverless invoke local -f reconcile --stage local --region us-east-1 --data '{"report":true}'`,
    ],
    ['curl that shows a refused connection', 'curl -sS -X POST'],
    ['how to lose a payment notify', 'npm run cashier -- pay <orderId> <amount> [--drop-notify]'],
  ])('shows %s', (_what, text) => {
    expect(banner).toContain(text);
  });

  it('says "every minute" for one', () => {
    expect(startBanner({ ...input, reconcileEveryMinutes: 1 })).toContain('reconcile every minute (');
  });

  it('says how much output follows, and how to see all of it', () => {
    expect(startBanner(input)).toContain(
      'one line per request, per reconcile run and per warning; LOCAL_VERBOSE=1',
    );
    expect(startBanner({ ...input, verbose: true })).toContain(
      'everything serverless-offline and the functions print',
    );
  });
});
