/**
 * The deploys `npm run check:template` packages and checks: the default stage exactly as
 * `npm run package` builds it, and a production-like stage with every optional parameter of
 * serverless.yml set (test/template/stages.test.ts holds this list to serverless.yml's `${param:...}`).
 * Each stage packages into a folder of its own. `serverless package` empties .serverless/ whatever
 * folder it writes to, so the default stage goes last: .serverless/ ends as `npm run package` leaves it.
 */
export interface PackagedStage {
  name: string;
  /** Where `serverless package` writes the zips and the templates, relative to the repository. */
  dir: string;
  /** The arguments after `serverless package`. */
  args: string[];
  /** Environment variables the stage needs to package, used where the caller's environment lacks them. */
  env: Readonly<Record<string, string>>;
}

/**
 * A value for each `${param:...}` of serverless.yml, none of them its default (logRetentionDays: one
 * that CloudWatch Logs allows). Dummies: nothing is deployed.
 */
export const PROD_PARAMS: Readonly<Record<string, string>> = {
  orderCenterBaseUrl: 'https://order-center.example.com',
  baiduAppKey: 'TemplateCheckAppKey',
  cashierAppKey: 'TemplateCheckCashierAppKey',
  cashierDealId: '470000001',
  paymentCheckAfterMinutes: '30',
  reconcileSchedule: 'rate(15 minutes)',
  reconcileEnabled: 'false',
  refundAuditPolicy: 'manual',
  esbuildWorkFolder: '.esbuild-prod',
  // Issue 14's (operations) parameters, set ahead of its merge; passing one that serverless.yml does not
  // read changes nothing.
  logRetentionDays: '90',
  reconcileConcurrency: '2',
  rotateTokenConcurrency: '1',
  alarmEmail: 'ops@example.com',
  oldestDueAlarmSeconds: '900',
  // Issue 13's (scale)
  syncShards: '32',
  baiduMaxQps: '200',
  reconcileWorkerConcurrency: '4',
  reconcileBatchSize: '10',
  // The first of the two deploys upgrading a first-release stack: the table without byPaymentCheck and the
  // roles without its statement (the default stage below checks them with the index).
  paymentCheckIndex: 'deferred',
};

export const STAGES: readonly PackagedStage[] = [
  {
    name: 'prod, every optional parameter set',
    dir: '.serverless-prod',
    args: [
      '--stage',
      'prod',
      '--package',
      '.serverless-prod',
      ...Object.entries(PROD_PARAMS).map(([name, value]) => `--param=${name}=${value}`),
    ],
    env: {},
  },
  {
    name: 'default stage (as npm run package)',
    dir: '.serverless',
    args: [],
    // A placeholder AppKey, as CI packages with: packaging may refuse a deployable stage without one.
    env: { BAIDU_APP_KEY: 'template-check' },
  },
];
