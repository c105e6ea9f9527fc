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
import { createSsmClient, getParameterStore, type ParameterStore } from './parameter-store';
import { createInlineBreaker, type InlineBreaker } from './sync/inline-breaker';
import type { SyncDependencies } from './sync/push';
import { createSsmTokenProvider, DEFAULT_TOKEN_MAX_AGE_MS } from './token';
import type { AccessTokenProvider } from './token/provider';
import { readSecureString } from './token/ssm-parameter';

/**
 * What pushes orders to Baidu: the ledger, the Order Center client and its token. reconcile needs this and
 * nothing more; the event functions add their secrets (EventService); rotateToken needs only
 * lib/parameter-store. Modules are imported directly, not through their folder's index, so a bundle holds
 * what its function's wiring uses (issue 21).
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
}

/** An event function's service: the push, and the secrets its routes check requests with. */
export interface EventService extends Service {
  webhookSecret: CachedValue<string>;
  cashierPublicKey: CachedValue<KeyObject>;
}

/** A service as a function receives it: built on first use (the configuration is read then), then kept. */
export type ServiceSource<S> = () => S;

export interface ServiceOverrides {
  /** whose timeouts the AWS clients get (lib/aws-clients); default webhook */
  role?: ClientRole;
  dynamo?: DynamoDBClient;
  ssm?: SSMClient;
  fetch?: typeof fetch;
}

/** Wires the push from a configuration. AWS endpoints come from the SDK's own settings (AWS_ENDPOINT_URL_*). */
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
  };
}

/** Wires an event function: the push, the merchant webhook secret and the cashier's public key. */
export function createEventService(config: Config, overrides: ServiceOverrides = {}): EventService {
  const service = createService(config, overrides);
  const { ssm } = service;
  const secretOptions = { maxAgeMs: DEFAULT_TOKEN_MAX_AGE_MS, now: () => Date.now() };
  return {
    ...service,
    webhookSecret: cachedValue(() => readSecureString(ssm, config.webhookSecretParam), secretOptions),
    cashierPublicKey: cachedValue(
      async () => loadCashierPublicKey(await readSecureString(ssm, config.cashierPublicKeyParam)),
      secretOptions,
    ),
  };
}

/**
 * The service of this Lambda container's function, built by `create` on first use from the container's
 * configuration and SSM client (lib/parameter-store, with the timeouts of `role`), then kept. A function
 * file calls this once and hands the result to its routes; nothing is read or constructed at load.
 */
export function containerService<S>(
  role: ClientRole,
  create: (store: ParameterStore) => S,
): ServiceSource<S> {
  let built: { service: S } | undefined;
  return () => {
    built ??= { service: create(getParameterStore(role)) };
    return built.service;
  };
}

/** An event function's container service. */
export const eventService = (): ServiceSource<EventService> =>
  containerService('webhook', ({ config, ssm }) => createEventService(config, { ssm, role: 'webhook' }));

/** reconcile's and its workers' container service: the push alone, with reconcile's client timeouts. */
export const reconcileService = (): ServiceSource<Service> =>
  containerService('reconcile', ({ config, ssm }) => createService(config, { ssm, role: 'reconcile' }));
