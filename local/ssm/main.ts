/**
 * Runs the SSM stand-in for the local stack: `PORT=4583 npx tsx local/ssm/main.ts [seed.json]`.
 * Prints `{"url":"http://127.0.0.1:<port>"}` on one line once it listens; stops on SIGINT or SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { parseSeedParameters } from './seed';
import { startLocalSsm, type SeedParameters } from './server';

function portFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`PORT: must be an integer from 0 to 65535, got ${JSON.stringify(raw)}`);
  }
  return port;
}

async function main(): Promise<void> {
  const port = portFromEnv(process.env.PORT);
  const seedPath = process.argv[2];
  const parameters: SeedParameters = seedPath
    ? parseSeedParameters(await readFile(seedPath, 'utf8'), seedPath)
    : {};
  const ssm = await startLocalSsm({ port, parameters });
  process.stdout.write(`${JSON.stringify({ url: ssm.url })}\n`);

  const shutdown = (): void => {
    ssm.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`local SSM: stop failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`local SSM: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
