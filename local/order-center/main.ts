/**
 * Runs the local Order Center as a process: `npx tsx local/order-center/main.ts`.
 * Env: PORT (default 0, a free port), LOCAL_APP_KEY and LOCAL_APP_SECRET (the OAuth client it knows).
 * Prints `{"url":"http://127.0.0.1:<port>"}` as one line on stdout once it listens.
 */
import { startLocalOrderCenter } from './server';
import type { OAuthClient } from './oauth';

class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function portFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(raw)}`);
  }
  return port;
}

function appFromEnv(env: NodeJS.ProcessEnv): OAuthClient {
  const missing = ['LOCAL_APP_KEY', 'LOCAL_APP_SECRET'].filter((name) => !env[name]);
  if (missing.length > 0) throw new ConfigError(`${missing.join(' and ')} must be set`);
  return { appKey: env.LOCAL_APP_KEY as string, appSecret: env.LOCAL_APP_SECRET as string };
}

async function main(): Promise<void> {
  const center = await startLocalOrderCenter({
    port: portFromEnv(process.env.PORT),
    apps: [appFromEnv(process.env)],
  });
  process.stdout.write(`${JSON.stringify({ url: center.url })}\n`);
  const shutdown = (): void => {
    void center.stop();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  process.exitCode = 1;
});
