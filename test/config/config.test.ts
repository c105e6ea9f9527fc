import { ConfigError, loadConfig } from '../../lib/config';
import { redactSecrets } from '../../lib/logger';

describe('loadConfig', () => {
  it('applies the contract defaults for a stage', () => {
    // Act
    const config = loadConfig({ BAIDU_APP_KEY: 'app', STAGE: 'prod' });

    // Assess
    expect(config).toEqual({
      stage: 'prod',
      orderCenterBaseUrl: 'https://openapi.baidu.com',
      appKey: 'app',
      accessTokenParam: '/swan-order-sync/prod/access-token',
      appSecretParam: '/swan-order-sync/prod/app-secret',
      webhookSecretParam: '/swan-order-sync/prod/webhook-secret',
      cashierPublicKeyParam: '/swan-order-sync/prod/cashier-public-key',
      cashierAppKey: undefined,
      cashierDealId: undefined,
      paymentCheckAfterMinutes: 15,
      paymentCheckIndex: 'on',
      ledgerTable: 'swan-order-sync-prod-ledger',
      syncShards: 16,
      reconcileConcurrency: 8,
      reconcileBatchSize: 20,
      baiduMaxQps: 100,
      refundAuditPolicy: 'match',
    });
  });

  it('takes RECONCILE_CONCURRENCY and RECONCILE_BATCH_SIZE as whole numbers, 8 and 20 when unset', () => {
    expect(
      loadConfig({ BAIDU_APP_KEY: 'a', RECONCILE_CONCURRENCY: '4', RECONCILE_BATCH_SIZE: '10' }),
    ).toMatchObject({
      reconcileConcurrency: 4,
      reconcileBatchSize: 10,
    });
    expect(loadConfig({ BAIDU_APP_KEY: 'a' })).toMatchObject({
      reconcileConcurrency: 8,
      reconcileBatchSize: 20,
    });
  });

  it('takes SYNC_SHARDS and BAIDU_MAX_QPS as whole numbers', () => {
    expect(loadConfig({ BAIDU_APP_KEY: 'a', SYNC_SHARDS: '64', BAIDU_MAX_QPS: '200' })).toMatchObject({
      syncShards: 64,
      baiduMaxQps: 200,
    });
  });

  it.each([
    ['on', 'on'],
    [' deferred ', 'deferred'],
    ['', 'on'],
  ])('takes PAYMENT_CHECK_INDEX %j as %s', (given, expected) => {
    expect(loadConfig({ BAIDU_APP_KEY: 'a', PAYMENT_CHECK_INDEX: given }).paymentCheckIndex).toBe(expected);
  });

  it('takes what the environment sets, trimmed, without a trailing slash on the origin', () => {
    // Act
    const config = loadConfig({
      BAIDU_APP_KEY: ' app ',
      ORDER_CENTER_BASE_URL: 'http://127.0.0.1:4010/',
      ACCESS_TOKEN_PARAM: '/x/token',
      CASHIER_APP_KEY: 'pm',
      CASHIER_DEAL_ID: ' 470000001 ',
      PAYMENT_CHECK_AFTER_MINUTES: '30',
      LEDGER_TABLE: 'table',
      REFUND_AUDIT_POLICY: ' manual ',
    });

    // Assess
    expect(config).toMatchObject({
      appKey: 'app',
      orderCenterBaseUrl: 'http://127.0.0.1:4010',
      accessTokenParam: '/x/token',
      cashierAppKey: 'pm',
      cashierDealId: '470000001',
      paymentCheckAfterMinutes: 30,
      ledgerTable: 'table',
      refundAuditPolicy: 'manual',
      stage: 'dev',
    });
  });

  it.each([
    ['no AppKey', {}, 'BAIDU_APP_KEY'],
    ['a blank AppKey', { BAIDU_APP_KEY: '  ' }, 'BAIDU_APP_KEY'],
    [
      'an origin that is not a URL',
      { BAIDU_APP_KEY: 'a', ORDER_CENTER_BASE_URL: 'openapi.baidu.com' },
      'ORDER_CENTER_BASE_URL',
    ],
    ...['0', '-5', '1.5', 'soon', '10081'].map((minutes): [string, Record<string, string>, string] => [
      `PAYMENT_CHECK_AFTER_MINUTES ${minutes}`,
      { BAIDU_APP_KEY: 'a', PAYMENT_CHECK_AFTER_MINUTES: minutes },
      'PAYMENT_CHECK_AFTER_MINUTES',
    ]),
    ['no shard', { BAIDU_APP_KEY: 'a', SYNC_SHARDS: '0' }, 'SYNC_SHARDS'],
    ['more shards than a worker drains', { BAIDU_APP_KEY: 'a', SYNC_SHARDS: '65' }, 'SYNC_SHARDS'],
    ['a fractional budget', { BAIDU_APP_KEY: 'a', BAIDU_MAX_QPS: '1.5' }, 'BAIDU_MAX_QPS'],
    ['a budget that is not a number', { BAIDU_APP_KEY: 'a', BAIDU_MAX_QPS: 'lots' }, 'BAIDU_MAX_QPS'],
    ['no concurrency', { BAIDU_APP_KEY: 'a', RECONCILE_CONCURRENCY: '0' }, 'RECONCILE_CONCURRENCY'],
    [
      'a batch size that is not a number',
      { BAIDU_APP_KEY: 'a', RECONCILE_BATCH_SIZE: 'ten' },
      'RECONCILE_BATCH_SIZE',
    ],
    ...['off', 'DEFERRED', 'true'].map((setting): [string, Record<string, string>, string] => [
      `PAYMENT_CHECK_INDEX ${setting}`,
      { BAIDU_APP_KEY: 'a', PAYMENT_CHECK_INDEX: setting },
      'PAYMENT_CHECK_INDEX',
    ]),
    [
      'a parameter name without a leading slash',
      { BAIDU_APP_KEY: 'a', WEBHOOK_SECRET_PARAM: 'secret' },
      'WEBHOOK_SECRET_PARAM',
    ],
    [
      'a refund audit policy that does not exist',
      { BAIDU_APP_KEY: 'a', REFUND_AUDIT_POLICY: 'auto' },
      'REFUND_AUDIT_POLICY',
    ],
    [
      'a refund audit policy in capitals',
      { BAIDU_APP_KEY: 'a', REFUND_AUDIT_POLICY: 'MATCH' },
      'REFUND_AUDIT_POLICY',
    ],
  ])('fails fast on %s, naming the variable', (_label, env, name) => {
    // Act & Assess
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});

describe('redactSecrets', () => {
  it.each([
    ['access_token', 'tok'],
    ['accessToken', 'tok'],
    ['token', 'tok'],
    ['appSecret', 's'],
    ['client_secret', 's'],
    ['webhookSecret', 's'],
    ['x-signature', 't=1,v1=ab'],
    ['rsaSign', 'abc'],
    ['sign', 'abc'],
    ['Authorization', 'Bearer x'],
    ['privateKey', '-----BEGIN'],
  ])('blanks %s', (key, value) => {
    // Act & Assess
    expect(redactSecrets(key, value)).toBe('[redacted]');
  });

  it.each([
    ['orderId', '2221554346520'],
    ['parameter', '/swan-order-sync/prod/access-token'],
    ['expiresAt', '2026-12-28T00:00:00.000Z'],
    ['', { a: 1 }],
  ])('keeps %s', (key, value) => {
    // Act & Assess
    expect(redactSecrets(key, value)).toEqual(value);
  });

  it('redacts nested secrets when the logger serialises an object', () => {
    // Act
    const line = JSON.stringify(
      { request: { headers: { 'x-signature': 'v1=deadbeef' }, token: 'abc' } },
      redactSecrets,
    );

    // Assess
    expect(line).not.toContain('deadbeef');
    expect(line).not.toContain('abc');
  });
});
