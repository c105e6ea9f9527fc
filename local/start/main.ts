/**
 * `npm start`: the whole service on 127.0.0.1, offline. The stand-ins (dynalite, the SSM stand-in seeded
 * with fresh local secrets, the local Order Center) run in this process; serverless-offline runs every
 * HTTP route and both schedules in its own process group. Prints where everything is once it answers;
 * Ctrl-C (or SIGTERM) stops all of it and exits 0.
 *
 * Refuses, before starting anything or writing a secret, when another npm start holds the secrets folder
 * (naming its pid) or any port is taken (naming every one). Quiet by default: serverless-offline's output
 * is shown through outputFilter (one line per request, per reconcile run, per warning).
 *
 * Env: LOCAL_HTTP_PORT (3000), LOCAL_LAMBDA_PORT (3002), LOCAL_ORDER_CENTER_PORT (4010), LOCAL_SSM_PORT
 * (4011), LOCAL_DYNAMO_PORT (4012), LOCAL_RECONCILE_MINUTES (1), LOCAL_SECRETS_DIR (.local), LOCAL_VERBOSE (0).
 */
import path from 'node:path';
import { InvalidInputError } from '../../lib/validation';
import { startBanner } from './banner';
import { OfflineStartError, SERVICE_ROOT } from './offline';
import { startOptionsFromEnv } from './options';
import { busyPorts, PortInUseError } from './ports';
import { outputFilter } from './quiet';
import { AnotherStartError, claimStart, runningStart } from './running';
import { writeLocalEnv, writeLocalSecrets } from './secrets';
import { LOCAL_HOST, startLocalService, type LocalService } from './service';

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/** Errors a merchant can act on are one clear line; anything else keeps its stack. */
function describe(err: unknown): string {
  if (err instanceof PortInUseError || err instanceof InvalidInputError || err instanceof AnotherStartError)
    return `npm start: ${err.message}`;
  // Its output was shown as it came: the first line says what happened, the reason is just above.
  if (err instanceof OfflineStartError)
    return `npm start: ${err.message.split('\n')[0]} (its output is above)`;
  return `npm start failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
}

async function main(): Promise<void> {
  const began = Date.now();
  const options = startOptionsFromEnv(process.env);
  // Set once everything answers; a signal before that finds it empty.
  const running: { service?: LocalService } = {};
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    out(`\n${signal}: stopping serverless-offline and the stand-ins...`);
    // Still starting: exiting is enough (the stand-ins live in this process; serverless-offline's group is
    // killed on exit by startOffline).
    if (!running.service) process.exit(0);
    running.service.stop().then(
      () => {
        out('stopped.');
        process.exit(0);
      },
      (err: unknown) => {
        console.error(describe(err));
        process.exit(1);
      },
    );
  };
  // Before anything starts, so a Ctrl-C during bundling still stops what is up. SIGHUP: the terminal closed.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, shutdown);

  const secretsDir = path.resolve(SERVICE_ROOT, process.env.LOCAL_SECRETS_DIR || '.local');
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  // Everything in the way, said at once: another npm start on this secrets folder, and every taken port.
  const [other, busy] = await Promise.all([runningStart(secretsDir), busyPorts(options.ports, LOCAL_HOST)]);
  if (other !== undefined) throw new AnotherStartError(other, busy, shown(secretsDir));
  const [firstBusy, ...moreBusy] = busy;
  if (firstBusy !== undefined) throw new PortInUseError([firstBusy, ...moreBusy]);
  // Ours from here until exit (any exit: Ctrl-C, a crash, a failed start).
  const claim = await claimStart(secretsDir, options.ports);
  process.once('exit', () => claim.release());

  out(
    'Starting dynalite, the SSM stand-in, the local Order Center and serverless-offline (bundling first)...',
  );
  const shownOutput = outputFilter(options.verbose);
  const service = await startLocalService({
    ports: options.ports,
    reconcileEveryMinutes: options.reconcileEveryMinutes,
    onOutput: (chunk) => process.stdout.write(shownOutput.push(chunk)),
  });
  running.service = service;
  const files = await writeLocalSecrets(secretsDir, service.stack.secrets);
  // serverless invoke local from another terminal: the stand-ins' endpoints (and the Lambda endpoint)
  const envFile = await writeLocalEnv(secretsDir, {
    ...service.stack.env,
    AWS_ENDPOINT_URL_LAMBDA: service.urls.lambda,
  });
  out(
    startBanner({
      urls: service.urls,
      ports: service.ports,
      routes: service.declaration.routes,
      reconcileFunctionName: service.functionName('reconcile'),
      tableName: service.stack.tableName,
      reconcileEveryMinutes: options.reconcileEveryMinutes,
      verbose: options.verbose,
      webhookSecret: service.stack.secrets.webhookSecret,
      files: {
        webhookSecret: shown(files.webhookSecret),
        cashierPrivateKey: shown(files.cashierPrivateKey),
        cashierPublicKey: shown(files.cashierPublicKey),
        env: shown(envFile),
      },
      startedInMs: Date.now() - began,
    }),
  );
  // serverless-offline going away on its own (a crash) leaves nothing worth keeping up.
  void service.offline.exited.then((how) => {
    if (stopping) return;
    console.error(`npm start: serverless-offline exited (${how}); stopping the stand-ins.`);
    stopping = true;
    void service.stop().finally(() => process.exit(1));
  });
}

main().catch((err: unknown) => {
  console.error(describe(err));
  process.exit(1);
});
