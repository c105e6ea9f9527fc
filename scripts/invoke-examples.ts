/**
 * CI check of examples/: each file goes through `serverless invoke local` (serverless-esbuild bundles the
 * function, osls runs the bundle on this Node 22) against the local stand-ins (dynalite, the SSM
 * stand-in, the local Order Center), and the Order Center must end as the examples say.
 *
 *   npm run invoke:examples
 *
 * Offline and without AWS credentials: the stack's environment (endpoints, dummy keys, parameter names,
 * table) is passed with `-e`, which `invoke local` applies over serverless.yml's environment.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { parseReconcileCommand, runReconcile } from '../lib/reconcile';
import { loadConfig } from '../lib/config';
import { createService } from '../lib/service';
import { startLocalLambda } from '../local/lambda';
import { startLocalStack, type LocalStack } from '../local/stack';

const ROOT = path.resolve(__dirname, '..');
const SERVERLESS = path.join(ROOT, 'node_modules', '.bin', 'serverless');

/** In the order a merchant's backend would send them: the order first, the end of its life last. */
const INVOCATIONS: readonly [fn: string, example: string][] = [
  ['orderPlaced', 'orderPlaced.json'],
  ['paymentSucceeded', 'paymentSucceeded.json'],
  ['shipped', 'shipped.json'],
  ['refundRequested', 'refundRequested.json'],
  ['refundUpdated', 'refundUpdated.json'],
  ['orderCompleted', 'orderCompleted.json'],
  ['orderClosed', 'orderClosed.json'],
  ['reconcile', 'reconcile.json'],
  ['reconcile', 'reconcile-dry-run.json'],
  ['reconcile', 'reconcile-push.json'],
  ['reconcile', 'reconcile-report.json'],
  ['rotateToken', 'rotateToken.json'],
];

interface ExampleEvent {
  orderId: string;
  order?: { openId: string };
}

/**
 * What the Order Center must show once every example ran: [example that names the order, Status,
 * SubsOrder.Status, the parcel shown as `carrier name tracking number`].
 */
const EXPECTED: readonly [example: string, status: number, subStatus?: number, parcel?: string][] = [
  ['orderPlaced.json', 200, 402, 'SFEXPRESS 顺丰速运 SF1234567890'],
  ['orderClosed.json', 100],
];

function readExample(file: string): ExampleEvent {
  return JSON.parse(readFileSync(path.join(ROOT, 'examples', file), 'utf8')) as ExampleEvent;
}

function invokeLocal(
  stack: LocalStack,
  fn: string,
  example: string,
): Promise<{ code: number; output: string }> {
  const env = Object.entries(stack.env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  const args = ['invoke', 'local', '-f', fn, '--path', `examples/${example}`, '--stage', stack.stage, ...env];
  return new Promise((resolve, reject) => {
    const child = spawn(SERVERLESS, args, { cwd: ROOT, env: { ...process.env, ...stack.env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function checkOrderCenter(stack: LocalStack): string[] {
  return EXPECTED.flatMap(([example, status, subStatus, parcel]) => {
    const { orderId, order } = readExample(example);
    const stored = stack.orderCenter.order(orderId, order?.openId, stack.appKey);
    if (!stored) return [`order ${orderId}: not in the Order Center`];
    const problems: string[] = [];
    if (stored.data.Status !== status)
      problems.push(`order ${orderId}: Status ${stored.data.Status}, want ${status}`);
    const sub = stored.data.EXT.SubsOrder?.Status;
    if (subStatus !== undefined && sub !== subStatus) {
      problems.push(`order ${orderId}: SubsOrder.Status ${String(sub)}, want ${subStatus}`);
    }
    const shown = stored.logistics.map((p) => `${p.Code} ${p.Name} ${p.ID}`).join('; ');
    if (shown !== (parcel ?? ''))
      problems.push(`order ${orderId}: logistics "${shown}", want "${parcel ?? ''}"`);
    return problems;
  });
}

async function main(): Promise<number> {
  const stack = await startLocalStack();
  // reconcile {} starts one reconcileWorker per shard through the Lambda Invoke API: a stand-in runs them
  // here, in this process, against the same stack (nothing reaches AWS). The worker's library code, not
  // the function file: middy is ESM only, which this CommonJS script cannot load.
  Object.assign(process.env, stack.env);
  const service = createService(loadConfig(stack.env), { role: 'reconcile' });
  const worker = async (event: unknown, context: Context) => {
    const command = parseReconcileCommand(event);
    if (command.kind !== 'worker') throw new Error(`expected a worker invocation, got ${command.kind}`);
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    return runReconcile(service.sync, { shard: command.shard, deadline });
  };
  const lambda = await startLocalLambda({
    functions: { [`swan-order-sync-${stack.stage}-reconcileWorker`]: worker },
    timeoutMs: 300_000,
  });
  stack.env.AWS_ENDPOINT_URL_LAMBDA = lambda.url;
  const failures: string[] = [];
  try {
    for (const [fn, example] of INVOCATIONS) {
      const { code, output } = await invokeLocal(stack, fn, example);
      console.log(
        `--- serverless invoke local -f ${fn} --path examples/${example}: exit ${code}\n${output.trim()}`,
      );
      if (code !== 0) failures.push(`${fn} ${example}: exit ${code}`);
    }
    await lambda.idle();
    console.log(`--- the Lambda Invoke stand-in ran ${lambda.invocations.length} reconcile workers`);
    failures.push(...checkOrderCenter(stack));
  } finally {
    await lambda.stop();
    await stack.stop();
  }
  if (failures.length > 0) {
    console.error(`invoke-examples failed:\n- ${failures.join('\n- ')}`);
    return 1;
  }
  console.log(
    `invoke-examples: ${INVOCATIONS.length} invocations succeeded; the Order Center is as expected`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
