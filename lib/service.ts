import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { KeyObject } from 'node:crypto';
import { awsClientSettings, type ClientRole } from './aws-clients';
import { createDynamoBudget } from './budget/dynamo-budget';
import { cachedValue, type CachedValue } from './cached-value';
import type { Config } from './config';
import { loadCashierPublicKey } from './events/cashier-key';
import { createCashierQueryClient, type CashierQueryClient } from './cashier/client';
import { createDynamoLedger } from './ledger/dynamo-ledger';
import { timedFetch } from './metrics';
import type { Ledger } from './ledger/types';
import { createOrderCenterClient, type OrderCenterClient } from './order-center/client';
import { createSsmClient, getParameterStore, resetParameterStore } from './parameter-store';
import { createInlineBreaker, type InlineBreaker } from './sync/inline-breaker';
import type { SyncDependencies } from './sync/push';
import { createSsmTokenProvider, DEFAULT_TOKEN_MAX_AGE_MS } from './token';
import type { AccessTokenProvider } from './token/provider';
import { readSecureString } from './token/ssm-parameter';

/**
 * What the event functions and reconcile need, built once per Lambda container, with no I/O until first
 * use. rotateToken needs only lib/parameter-store. Modules are imported directly, not through their folder's
 * index, so a bundle holds what the wiring uses (the cashier key's loader, not the notify's parsing).
 */
export interface Service {
  config: Config;
  ledger: Ledger;
  tokens: AccessTokenProvider;
  client: OrderCenterClient;
  /** the cashier's query (findByTpOrderId); absent without CASHIER_APP_KEY: nothing is asked */
  cashier?: CashierQueryClient;
  sync: SyncDependencies;
  /** this instance's inline pushes: off for a while when they keep failing */
  inlineBreaker: InlineBreaker;
  ssm: SSMClient;
  webhookSecret: CachedValue<string>;
  cashierPublicKey: CachedValue<KeyObject>;
}

export interface ServiceOverrides {
  /** whose timeouts the AWS clients get (lib/aws-clients); default webhook */
  role?: ClientRole;
  dynamo?: DynamoDBClient;
  ssm?: SSMClient;
  fetch?: typeof fetch;
}

/** Wires the service from a configuration. AWS endpoints come from the SDK's own settings (AWS_ENDPOINT_URL_*). */
export function createService(config: Config, overrides: ServiceOverrides = {}): Service {
  const role = overrides.role ?? 'webhook';
  const ssm = overrides.ssm ?? createSsmClient(role);
  const dynamo = overrides.dynamo ?? new DynamoDBClient(awsClientSettings(role));
  const ledger = createDynamoLedger({
    client: dynamo,
    tableName: config.ledgerTable,
    shards: config.syncShards,
  });
  const tokens = createSsmTokenProvider({ ssm, parameterName: config.accessTokenParam });
  // One budget of Order Center calls per second for every function together (BAIDU_MAX_QPS).
  const budget = createDynamoBudget({
    client: dynamo,
    tableName: config.ledgerTable,
    maxQps: config.baiduMaxQps,
  });
  const client = createOrderCenterClient({
    baseUrl: config.orderCenterBaseUrl,
    tokens,
    pmAppKey: config.cashierAppKey,
    // timed: Baidu's latency and errors on the dashboard (lib/metrics)
    fetch: timedFetch(overrides.fetch),
    budget,
  });
  // The cashier query shares Baidu's origin, the token, the timed fetch and the call budget with the
  // Order Center client: its queries count against BAIDU_MAX_QPS too (CONTRACT section 5c).
  const cashier = config.cashierAppKey
    ? createCashierQueryClient({
        baseUrl: config.orderCenterBaseUrl,
        tokens,
        pmAppKey: config.cashierAppKey,
        fetch: timedFetch(overrides.fetch),
        budget,
      })
    : undefined;
  const secretOptions = { maxAgeMs: DEFAULT_TOKEN_MAX_AGE_MS, now: () => Date.now() };
  return {
    config,
    ledger,
    tokens,
    client,
    cashier,
    sync: {
      ledger,
      client,
      bizAppId: config.appKey,
      cashierDealId: config.cashierDealId,
      cancelAfterSeconds: config.paymentCheckAfterMinutes * 60,
      // Only when the cashier can be asked does a push keep the order's place in the awaiting-check index.
      paymentCheckAfterMinutes: cashier ? config.paymentCheckAfterMinutes : undefined,
    },
    inlineBreaker: createInlineBreaker(),
    ssm,
    webhookSecret: cachedValue(() => readSecureString(ssm, config.webhookSecretParam), secretOptions),
    cashierPublicKey: cachedValue(
      async () => loadCashierPublicKey(await readSecureString(ssm, config.cashierPublicKeyParam)),
      secretOptions,
    ),
  };
}

let current: Service | undefined;

/**
 * The container's service: configuration read (and checked) on first use, then kept. A Lambda container
 * runs one function, so the first caller's role (the AWS clients' timeouts) is the container's.
 */
export function getService(role: ClientRole = 'webhook'): Service {
  if (!current) {
    const { config, ssm } = getParameterStore(role);
    current = createService(config, { ssm, role });
  }
  return current;
}

/** Forgets the container's service, so the next getService() reads the environment again (tests, local runs). */
export function resetService(): void {
  current = undefined;
  resetParameterStore();
}
