import { build, type Metafile } from 'esbuild';
import { deployBuildOptions, functionEntries, httpRoutes, ROOT } from '../../bench/deploy-config';

/**
 * Issue 21: each function's bundle holds what that function can use, and nothing the others need. Bundled
 * as the deploy bundles them (custom.esbuild), without writing files or maps: esbuild's metafile says
 * which modules put code into the bundle. Each "without" row has a function that must hold the module,
 * so a pattern that matches nothing cannot pass unnoticed.
 */
const entries = functionEntries();
const routes = httpRoutes();
const eventFunctions = [...new Set(Object.values(routes))].sort();
/** The functions with a route Baidu's cashier calls (RSA-signed forms). */
const cashierFunctions = new Set(
  Object.entries(routes)
    .filter(([route]) => route.startsWith('POST /baidu/'))
    .map(([, fn]) => fn),
);
const held: Record<string, string[]> = {};
const code: Record<string, string> = {};

async function bundleOf(entry: string): Promise<{ modules: string[]; code: string }> {
  const { metafile, outputFiles } = await build({
    ...deployBuildOptions(),
    plugins: [],
    sourcemap: false,
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outdir: 'unused',
    write: false,
    metafile: true,
  });
  const outputs = Object.values((metafile as Metafile).outputs).filter((output) => output.entryPoint);
  return {
    modules: outputs.flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([file]) => file),
    ),
    code: outputFiles.map((file) => file.text).join('\n'),
  };
}

beforeAll(async () => {
  for (const [name, entry] of Object.entries(entries))
    ({ modules: held[name]!, code: code[name]! } = await bundleOf(entry));
}, 120_000);

const holds = (fn: string, module: string): boolean => held[fn]!.some((file) => file.includes(module));

describe('what each function bundle holds', () => {
  it('bundles every function of serverless.yml, the event functions being those served over HTTP', () => {
    expect(eventFunctions).toEqual([
      'orderClosed',
      'orderCompleted',
      'orderPlaced',
      'paymentSucceeded',
      'refundRequested',
      'refundUpdated',
      'shipped',
    ]);
    expect(Object.keys(held).sort()).toEqual(
      [...eventFunctions, 'reconcile', 'reconcileWorker', 'rotateToken'].sort(),
    );
  });

  /** The AWS SDK clients (@aws-sdk/client-*) a bundle holds. */
  const awsClients = (fn: string): string[] =>
    [
      ...new Set(
        held[fn]!.flatMap((file) => /node_modules\/@aws-sdk\/(client-[^/]+)\//.exec(file)?.[1] ?? []),
      ),
    ].sort();

  it.each(eventFunctions)('%s holds the SSM and DynamoDB clients, and no other AWS client', (fn) => {
    expect(awsClients(fn)).toEqual(['client-dynamodb', 'client-ssm']);
  });

  it('reconcile alone holds the Lambda client (it starts the workers); a worker holds what a webhook does', () => {
    expect(awsClients('reconcile')).toEqual(['client-dynamodb', 'client-lambda', 'client-ssm']);
    expect(awsClients('reconcileWorker')).toEqual(['client-dynamodb', 'client-ssm']);
  });

  it('rotateToken holds the SSM client alone', () => {
    expect(awsClients('rotateToken')).toEqual(['client-ssm']);
  });

  // Powertools Metrics is in every bundle on purpose: the webhooks count replies and Baidu's latency,
  // rotateToken its rotations, for the alarms and the dashboard (issue 14).
  const without: [string, string, string[], string][] = [
    // [what, module, functions that must not hold it, a function that must]
    ['the DynamoDB client', 'node_modules/@aws-sdk/client-dynamodb/', ['rotateToken'], 'shipped'],
    ['the DynamoDB document client', 'node_modules/@aws-sdk/lib-dynamodb/', ['rotateToken'], 'shipped'],
    ['the ledger', 'lib/ledger/', ['rotateToken'], 'reconcile'],
    ['yup', 'node_modules/yup/', ['rotateToken'], 'shipped'],
    ['the Order Center client', 'lib/order-center/', ['rotateToken'], 'shipped'],
    ['the sync code', 'lib/sync/', ['rotateToken'], 'reconcile'],
    ['the event parsers', 'lib/events/', ['rotateToken'], 'orderPlaced'],
    ['the service wiring', 'lib/service.ts', ['rotateToken'], 'shipped'],
    ['the token rotation', 'lib/token/rotate.ts', [...eventFunctions, 'reconcile'], 'rotateToken'],
    ['the reconcile code', 'lib/reconcile/', [...eventFunctions, 'rotateToken'], 'reconcileWorker'],
    ['the HTTP stack', 'lib/http/', ['reconcile', 'reconcileWorker', 'rotateToken'], 'shipped'],
    [
      "the cashier's signature check",
      'lib/http/cashier.ts',
      eventFunctions.filter((fn) => !cashierFunctions.has(fn)),
      'paymentSucceeded',
    ],
    // the wiring of a function with a cashier route (createEventService) reads it; the merchant-only
    // functions' (createMerchantEventService) and reconcile's do not
    [
      'the cashier key loader',
      'lib/events/cashier-key.ts',
      [
        ...eventFunctions.filter((fn) => !cashierFunctions.has(fn)),
        'reconcile',
        'reconcileWorker',
        'rotateToken',
      ],
      'paymentSucceeded',
    ],
    [
      "the cashier notify parsing and the cashier's signature",
      'lib/events/cashier-notify.ts',
      [...eventFunctions.filter((fn) => !cashierFunctions.has(fn)), 'reconcile', 'rotateToken'],
      'paymentSucceeded',
    ],
    [
      "the cashier's refund callbacks parsing",
      'lib/events/cashier-refund.ts',
      [...eventFunctions.filter((fn) => !cashierFunctions.has(fn)), 'reconcileWorker', 'rotateToken'],
      'refundUpdated',
    ],
    // only reconcile's workers ask the cashier about payments (createReconcileService)
    [
      "the cashier's query client",
      'lib/cashier/client.ts',
      [...eventFunctions, 'rotateToken'],
      'reconcileWorker',
    ],
  ];

  it.each(without)('%s (%s): only where it is used', (_what, module, absentFrom, presentIn) => {
    expect(holds(presentIn, module)).toBe(true);
    expect(absentFrom.filter((fn) => holds(fn, module))).toEqual([]);
  });

  // Part of a module: the ledger's methods are object keys, which minification keeps.
  const ledgerQueries = ['queryQueue', 'listAnomalies', 'listRefundAudits', 'queryPaymentChecks', 'revive'];
  it.each(ledgerQueries)(
    "the ledger's %s: only in reconcile and its workers (the event functions hold the order ledger)",
    (method) => {
      const defines = (fn: string) => new RegExp(`\\b${method}\\(`).test(code[fn]!);
      expect(['reconcile', 'reconcileWorker'].filter((fn) => !defines(fn))).toEqual([]);
      expect(eventFunctions.filter(defines)).toEqual([]);
    },
  );
});
