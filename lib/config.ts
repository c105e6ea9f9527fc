import { DEFAULT_SYNC_SHARDS, MAX_SYNC_SHARDS } from './ledger/shard';
import type { RefundAuditPolicy } from './events/types';

/** The service's configuration (docs/contract.md section 7), read from the environment once and checked. */
export interface Config {
  stage: string;
  orderCenterBaseUrl: string;
  /** the mini-program's AppKey: BizAPPID and OAuth client_id */
  appKey: string;
  accessTokenParam: string;
  appSecretParam: string;
  webhookSecretParam: string;
  cashierPublicKeyParam: string;
  /** the cashier appKey (-> pm_app_key); undefined when not set */
  cashierAppKey?: string;
  /** the merchant's cashier dealId: callbacks naming another are anomalies; undefined when not checked */
  cashierDealId?: string;
  /** PAYMENT_CHECK_AFTER_MINUTES: how long a cashier cancel waits before it closes an unpaid order */
  paymentCheckAfterMinutes: number;
  /**
   * PAYMENT_CHECK_INDEX: `deferred` while the ledger has no byPaymentCheck index yet (the first of two
   * deploys upgrading a first-release stack): pushes still write the check fields, nobody queries the index.
   */
  paymentCheckIndex: PaymentCheckIndex;
  ledgerTable: string;
  /** shards of the sync queue; reconcile runs one worker per shard (docs/contract.md section 9) */
  syncShards: number;
  /** Order Center calls per second, all functions together */
  baiduMaxQps: number;
  /** RECONCILE_CONCURRENCY: orders one reconcile run pushes at once */
  reconcileConcurrency: number;
  /** RECONCILE_BATCH_SIZE: orders of one user per update/main/status call */
  reconcileBatchSize: number;
  /** how Baidu's refund audits are answered (docs/contract.md section 5b) */
  refundAuditPolicy: RefundAuditPolicy;
}

/** Whether the ledger's byPaymentCheck index is deployed (README: "Upgrading from the first release"). */
export type PaymentCheckIndex = 'on' | 'deferred';
export const PAYMENT_CHECK_INDEX_SETTINGS: readonly PaymentCheckIndex[] = ['on', 'deferred'];

const isIndexSetting = (given: string): given is PaymentCheckIndex =>
  (PAYMENT_CHECK_INDEX_SETTINGS as readonly string[]).includes(given);

export const REFUND_AUDIT_POLICIES: readonly RefundAuditPolicy[] = ['match', 'approve', 'manual'];

const isPolicy = (given: string): given is RefundAuditPolicy =>
  (REFUND_AUDIT_POLICIES as readonly string[]).includes(given);

/** CONTRACT section 7's default for PAYMENT_CHECK_AFTER_MINUTES. */
export const DEFAULT_PAYMENT_CHECK_AFTER_MINUTES = 15;
/** A week: beyond it an unpaid order waits for its cancel longer than any payment takes. */
const MAX_PAYMENT_CHECK_AFTER_MINUTES = 7 * 24 * 60;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

/** A whole number within [min, max] from the environment, or the default; a bad one is a problem named. */
function integer(
  env: Env,
  name: string,
  range: { min: number; max: number; fallback: number },
  problems: string[],
): number {
  const raw = value(env, name);
  if (raw === undefined) return range.fallback;
  const parsed = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(parsed >= range.min && parsed <= range.max)) {
    problems.push(`${name} must be a whole number from ${range.min} to ${range.max}, got "${raw}"`);
    return range.fallback;
  }
  return parsed;
}

/** Reads the configuration; fails fast, naming every missing or malformed variable. */
export function loadConfig(env: Env = process.env): Config {
  const stage = value(env, 'STAGE') ?? value(env, 'SLS_STAGE') ?? 'dev';
  const problems: string[] = [];
  const appKey = value(env, 'BAIDU_APP_KEY');
  if (!appKey) problems.push('BAIDU_APP_KEY is required (the mini-program AppKey)');
  const orderCenterBaseUrl = value(env, 'ORDER_CENTER_BASE_URL') ?? 'https://openapi.baidu.com';
  if (!/^https?:\/\/[^/\s]+(\/.*)?$/.test(orderCenterBaseUrl)) {
    problems.push(`ORDER_CENTER_BASE_URL must be an http(s) URL, got "${orderCenterBaseUrl}"`);
  }
  const param = (name: string, suffix: string): string => {
    const given = value(env, name) ?? `/swan-order-sync/${stage}/${suffix}`;
    if (!given.startsWith('/'))
      problems.push(`${name} must be an SSM parameter path starting with /, got "${given}"`);
    return given;
  };
  const policy = value(env, 'REFUND_AUDIT_POLICY') ?? 'match';
  if (!isPolicy(policy)) {
    problems.push(`REFUND_AUDIT_POLICY must be one of ${REFUND_AUDIT_POLICIES.join(', ')}, got "${policy}"`);
  }
  const checkAfter = value(env, 'PAYMENT_CHECK_AFTER_MINUTES');
  const paymentCheckAfterMinutes =
    checkAfter === undefined ? DEFAULT_PAYMENT_CHECK_AFTER_MINUTES : Number(checkAfter);
  if (
    !/^\d+$/.test(checkAfter ?? '15') ||
    paymentCheckAfterMinutes < 1 ||
    paymentCheckAfterMinutes > MAX_PAYMENT_CHECK_AFTER_MINUTES
  ) {
    problems.push(
      `PAYMENT_CHECK_AFTER_MINUTES must be a whole number of minutes from 1 to ${MAX_PAYMENT_CHECK_AFTER_MINUTES}, got "${checkAfter}"`,
    );
  }
  const index = value(env, 'PAYMENT_CHECK_INDEX') ?? 'on';
  if (!isIndexSetting(index)) {
    problems.push(
      `PAYMENT_CHECK_INDEX must be one of ${PAYMENT_CHECK_INDEX_SETTINGS.join(', ')}, got "${index}"`,
    );
  }
  const config: Config = {
    stage,
    orderCenterBaseUrl: orderCenterBaseUrl.replace(/\/+$/, ''),
    appKey: appKey ?? '',
    accessTokenParam: param('ACCESS_TOKEN_PARAM', 'access-token'),
    appSecretParam: param('APP_SECRET_PARAM', 'app-secret'),
    webhookSecretParam: param('WEBHOOK_SECRET_PARAM', 'webhook-secret'),
    cashierPublicKeyParam: param('CASHIER_PUBLIC_KEY_PARAM', 'cashier-public-key'),
    cashierAppKey: value(env, 'CASHIER_APP_KEY'),
    cashierDealId: value(env, 'CASHIER_DEAL_ID'),
    paymentCheckAfterMinutes,
    paymentCheckIndex: isIndexSetting(index) ? index : 'on',
    ledgerTable: value(env, 'LEDGER_TABLE') ?? `swan-order-sync-${stage}-ledger`,
    syncShards: integer(
      env,
      'SYNC_SHARDS',
      { min: 1, max: MAX_SYNC_SHARDS, fallback: DEFAULT_SYNC_SHARDS },
      problems,
    ),
    baiduMaxQps: integer(env, 'BAIDU_MAX_QPS', { min: 1, max: 100_000, fallback: 100 }, problems),
    reconcileConcurrency: integer(env, 'RECONCILE_CONCURRENCY', { min: 1, max: 256, fallback: 8 }, problems),
    reconcileBatchSize: integer(env, 'RECONCILE_BATCH_SIZE', { min: 1, max: 100, fallback: 20 }, problems),
    refundAuditPolicy: isPolicy(policy) ? policy : 'match',
  };
  if (problems.length > 0) throw new ConfigError(`configuration: ${problems.join('; ')}`);
  return config;
}
