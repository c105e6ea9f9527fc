import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { KeyObject } from 'node:crypto';
import { awsClientSettings, type ClientRole } from './aws-clients';
import { createDynamoBudget } from './budget/dynamo-budget';
import type { CallBudget } from './budget';
import { cachedValue, type CachedValue } from './cached-value';
import type { Config } from './config';
import { loadCashierPublicKey } from './events/cashier-key';
import { createCashierQueryClient, type CashierQueryClient } from './cashier/client';
import {
  createDynamoLedger,
  createDynamoOrderLedger,
  type DynamoLedgerOptions,
} from './ledger/dynamo-ledger';
import { timedFetch } from './metrics';
import type { Ledger, OrderLedger } from './ledger/types';
import { createOrderCenterClient, type OrderCenterClient } from './order-center/client';
import { createSsmClient, getParameterStore, type ParameterStore } from './parameter-store';
import { createInlineBreaker, type InlineBreaker } from './sync/inline-breaker';
import type { SyncDependencies } from './sync/push';
import { createSsmTokenProvider, DEFAULT_TOKEN_MAX_AGE_MS } from './token';
import type { AccessTokenProvider } from './token/provider';
import { readSecureString } from './token/ssm-parameter';

/**
 * What pushes orders to Baidu: the ledger, the Order Center client and its token. Each function adds what
 * its own paths use and nothing more (issue 21): the event functions their request secrets
 * (MerchantEventService, EventService), reconcile and its workers the cashier's query (ReconcileService);
 * rotateToken needs only lib/parameter-store. Modules are imported directly, not through their folder's
 * index, and each addition is its own function, so a bundle holds what its function's wiring uses.
 */
export interface Service<L extends OrderLedger = Ledger> {
  config: Config;
  /** the whole ledger (reconcile); an event function's holds what a push and the intake use */
  ledger: L;
  tokens: AccessTokenProvider;
  client: OrderCenterClient;
  sync: SyncDependencies<L>;
  /** this instance's inline pushes: off for a while when they keep failing */
  inlineBreaker: InlineBreaker;
  ssm: SSMClient;
}

/** The push as the event functions have it: the order ledger alone. */
export type OrderService = Service<OrderLedger>;

/** reconcile's and its workers' service: the push, and the cashier's query for the payment checks. */
export interface ReconcileService extends Service {
  /** the cashier's query (findByTpOrderId); absent without CASHIER_APP_KEY: nothing is asked */
  cashier?: CashierQueryClient;
}

/** A function taking merchant events: the push, and the webhook secret their signatures are checked with. */
export interface MerchantEventService extends Service<OrderLedger> {
  webhookSecret: CachedValue<string>;
}

/** A function taking the cashier's callbacks too: the cashier's public key as well. */
export interface EventService extends MerchantEventService {
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

/** The push, with what Baidu's other API (the cashier's query) shares with it. */
interface Push<L extends OrderLedger> {
  service: Service<L>;
  budget: CallBudget;
  fetch: typeof fetch;
}

function wirePush<L extends OrderLedger>(
  config: Config,
  overrides: ServiceOverrides,
  createLedger: (options: DynamoLedgerOptions) => L,
): Push<L> {
  const role = overrides.role ?? 'webhook';
  const ssm = overrides.ssm ?? createSsmClient(role);
  const dynamo = overrides.dynamo ?? new DynamoDBClient(awsClientSettings(role));
  const ledger = createLedger({
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
  // timed: Baidu's latency and errors on the dashboard (lib/metrics)
  const timed = timedFetch(overrides.fetch);
  const client = createOrderCenterClient({
    baseUrl: config.orderCenterBaseUrl,
    tokens,
    pmAppKey: config.cashierAppKey,
    fetch: timed,
    budget,
  });
  const service: Service<L> = {
    config,
    ledger,
    tokens,
    client,
    sync: {
      ledger,
      client,
      bizAppId: config.appKey,
      cashierDealId: config.cashierDealId,
      cancelAfterSeconds: config.paymentCheckAfterMinutes * 60,
      // Only when the cashier can be asked (reconcile's workers ask it, with CASHIER_APP_KEY) does a push
      // keep the order's place in the awaiting-check index.
      paymentCheckAfterMinutes: config.cashierAppKey ? config.paymentCheckAfterMinutes : undefined,
    },
    inlineBreaker: createInlineBreaker(),
    ssm,
  };
  return { service, budget, fetch: timed };
}

/** Wires the push from a configuration. AWS endpoints come from the SDK's own settings (AWS_ENDPOINT_URL_*). */
export function createService(config: Config, overrides: ServiceOverrides = {}): Service {
  return wirePush(config, overrides, createDynamoLedger).service;
}

/** Wires reconcile's service: the push, and the cashier's query when CASHIER_APP_KEY is set. */
export function createReconcileService(config: Config, overrides: ServiceOverrides = {}): ReconcileService {
  const { service, budget, fetch } = wirePush(config, overrides, createDynamoLedger);
  // The cashier query shares Baidu's origin, the token, the timed fetch and the call budget with the
  // Order Center client: its queries count against BAIDU_MAX_QPS too (CONTRACT section 5c).
  const cashier = config.cashierAppKey
    ? createCashierQueryClient({
        baseUrl: config.orderCenterBaseUrl,
        tokens: service.tokens,
        pmAppKey: config.cashierAppKey,
        fetch,
        budget,
      })
    : undefined;
  return { ...service, cashier };
}

const secretOptions = { maxAgeMs: DEFAULT_TOKEN_MAX_AGE_MS, now: () => Date.now() };

/** Adds the merchant webhook secret, read from SSM on first use and kept as the token is. */
export function withWebhookSecret<S extends Service<OrderLedger>>(service: S): S & MerchantEventService {
  const { ssm, config } = service;
  return {
    ...service,
    webhookSecret: cachedValue(() => readSecureString(ssm, config.webhookSecretParam), secretOptions),
  };
}

/** Adds the cashier's public key, read from SSM and parsed on first use. */
export function withCashierKey<S extends MerchantEventService>(service: S): S & EventService {
  const { ssm, config } = service;
  return {
    ...service,
    cashierPublicKey: cachedValue(
      async () => loadCashierPublicKey(await readSecureString(ssm, config.cashierPublicKeyParam)),
      secretOptions,
    ),
  };
}

/** Wires a function that takes merchant events only: the push and the webhook secret. */
export function createMerchantEventService(
  config: Config,
  overrides: ServiceOverrides = {},
): MerchantEventService {
  return withWebhookSecret(wirePush(config, overrides, createDynamoOrderLedger).service);
}

/** Wires a function that takes the cashier's callbacks too: the push, the webhook secret, the cashier key. */
export function createEventService(config: Config, overrides: ServiceOverrides = {}): EventService {
  return withCashierKey(createMerchantEventService(config, overrides));
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

/** The container service of a function that takes merchant events only. */
export const merchantEventService = (): ServiceSource<MerchantEventService> =>
  containerService('webhook', ({ config, ssm }) =>
    createMerchantEventService(config, { ssm, role: 'webhook' }),
  );

/** The container service of a function that takes the cashier's callbacks too. */
export const eventService = (): ServiceSource<EventService> =>
  containerService('webhook', ({ config, ssm }) => createEventService(config, { ssm, role: 'webhook' }));

/** reconcile's and its workers' container service, with reconcile's client timeouts. */
export const reconcileService = (): ServiceSource<ReconcileService> =>
  containerService('reconcile', ({ config, ssm }) =>
    createReconcileService(config, { ssm, role: 'reconcile' }),
  );
