import type { ServicePorts } from './options';
import { PORT_ENV, RECONCILE_MINUTES_ENV, VERBOSE_ENV } from './options';
import type { HttpRoute } from './routes';
import type { LocalServiceUrls } from './service';

export interface BannerInput {
  urls: LocalServiceUrls;
  ports: ServicePorts;
  routes: readonly HttpRoute[];
  /** e.g. swan-order-sync-local-reconcile */
  reconcileFunctionName: string;
  tableName: string;
  reconcileEveryMinutes: number;
  /** whether all of serverless-offline's output is shown (LOCAL_VERBOSE=1), or one line per request, run, warning */
  verbose?: boolean;
  webhookSecret: string;
  /** paths as the merchant should type them (relative to the repository) */
  files: { webhookSecret: string; cashierPrivateKey: string; cashierPublicKey: string; env: string };
  startedInMs: number;
}

const pad = (text: string, width: number) => text.padEnd(width);

/** What `npm start` prints once everything answers: where each part is, and the secrets of this run. */
export function startBanner(input: BannerInput): string {
  const { urls, ports } = input;
  const routeWidth = Math.max(...input.routes.map((r) => `${r.method} ${urls.httpApi}${r.path}`.length));
  const every =
    input.reconcileEveryMinutes === 1 ? 'every minute' : `every ${input.reconcileEveryMinutes} minutes`;
  const invoke = `${urls.lambda}/2015-03-31/functions/${input.reconcileFunctionName}/invocations`;
  const lines = [
    '',
    `swan-order-sync runs locally (stage local), ready in ${(input.startedInMs / 1000).toFixed(1)} s. Nothing here calls Baidu or AWS.`,
    '',
    `  Order Center page    ${urls.orderCenter}/            the orders as 百度App > 订单 shows them`,
    `                       ${urls.orderCenter}/orders      the same as JSON; /requests: every call it got`,
    `  HTTP API             ${urls.httpApi}`,
    ...input.routes.map((r) => `    ${pad(`${r.method} ${urls.httpApi}${r.path}`, routeWidth)}   ${r.fn}`),
    `  Lambda invoke        ${urls.lambda}/2015-03-31/functions/<name>/invocations`,
    `                       e.g. curl -sS -X POST ${invoke} -H 'content-type: application/json' -d '{"report":true}'`,
    `  Operator CLI         env $(cat ${input.files.env}) npx serverless invoke local -f reconcile --stage local --region us-east-1 --data '{"report":true}'`,
    `                       (${input.files.env}: this run's endpoints and dummy credentials, for stage local only)`,
    `  DynamoDB (dynalite)  ${urls.dynamo}   table ${input.tableName}`,
    `  SSM stand-in         ${urls.ssm}`,
    `  Cashier              npm run cashier -- pay <orderId> <amount> [--drop-notify]   the buyer pays; --drop-notify loses the notify,`,
    `                       and reconcile asks the cashier (findByTpOrderId) once the order is PAYMENT_CHECK_AFTER_MINUTES old`,
    `                       ${urls.orderCenter}/__cashier/payments: the payments the local cashier knows`,
    '',
    `  Schedules (serverless-offline): reconcile ${every} (${RECONCILE_MINUTES_ENV}), rotateToken daily at 00:00.`,
    input.verbose
      ? `  Output: everything serverless-offline and the functions print (${VERBOSE_ENV}=1).`
      : `  Output: one line per request, per reconcile run and per warning; ${VERBOSE_ENV}=1 shows everything.`,
    `  Ports: ${PORT_ENV.http}=${ports.http} ${PORT_ENV.lambda}=${ports.lambda} ${PORT_ENV.orderCenter}=${ports.orderCenter} ${PORT_ENV.ssm}=${ports.ssm} ${PORT_ENV.dynamo}=${ports.dynamo}`,
    '',
    'Local secrets of this run (new on every start; for signing test requests, never used anywhere else):',
    `  webhook secret (X-Signature HMAC key)  ${input.webhookSecret}   also in ${input.files.webhookSecret}`,
    `  cashier private key (signs notifies)   ${input.files.cashierPrivateKey}`,
    `  cashier public key (the service's)     ${input.files.cashierPublicKey}`,
    '',
    'README.md > "Try it locally" shows how to send a signed event with curl. Ctrl-C stops everything.',
    '',
  ];
  return lines.join('\n');
}
