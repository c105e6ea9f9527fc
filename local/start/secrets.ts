import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LocalSecrets } from '../stack';

/** Where `npm start` leaves this run's local secrets, for curl and scripts that sign test requests. */
export interface LocalSecretFiles {
  dir: string;
  webhookSecret: string;
  cashierPrivateKey: string;
  cashierPublicKey: string;
}

export function localSecretFiles(dir: string): LocalSecretFiles {
  return {
    dir,
    webhookSecret: path.join(dir, 'webhook-secret'),
    cashierPrivateKey: path.join(dir, 'cashier-private-key.pem'),
    cashierPublicKey: path.join(dir, 'cashier-public-key.pem'),
  };
}

/** Makes the folder (owner only) with its own .gitignore, before anything is written in it. */
export async function prepareLocalDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(path.join(dir, '.gitignore'), '# written by npm start: local secrets, never commit\n*\n');
}

/**
 * Writes the local stack's secrets (readable by the owner only). The folder carries its own .gitignore,
 * so whatever is written there can never be committed, whatever the repository's .gitignore says.
 */
export async function writeLocalSecrets(dir: string, secrets: LocalSecrets): Promise<LocalSecretFiles> {
  const files = localSecretFiles(dir);
  await prepareLocalDir(dir);
  const secret = { mode: 0o600 } as const;
  await writeFile(files.webhookSecret, secrets.webhookSecret, secret);
  await writeFile(files.cashierPrivateKey, secrets.cashierPrivateKeyPem, secret);
  await writeFile(files.cashierPublicKey, secrets.cashierPublicKeyPem, secret);
  return files;
}

/**
 * The variables `serverless invoke local` needs to reach this run's stand-ins from another terminal: the
 * endpoints, dummy credentials and the AppKey, one `NAME=value` a line, for `env $(cat .local/env) ...`
 * (values never hold spaces). For stage local only: packaging any other stage with the local Order Center
 * as its ORDER_CENTER_BASE_URL is refused (scripts/serverless-operations.cjs).
 */
export const LOCAL_ENV_NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SSM',
  'AWS_ENDPOINT_URL_LAMBDA',
  'ORDER_CENTER_BASE_URL',
  'BAIDU_APP_KEY',
  'CASHIER_APP_KEY',
] as const;

export function localEnvText(env: Readonly<Record<string, string | undefined>>): string {
  const lines = LOCAL_ENV_NAMES.flatMap((name) => {
    const value = env[name];
    if (value === undefined || value === '') return [];
    if (/\s/.test(value)) throw new Error(`${name} holds whitespace, which .local/env cannot carry`);
    return [`${name}=${value}`];
  });
  return `${lines.join('\n')}\n`;
}

/** Writes `<dir>/env` (owner only); the folder's .gitignore is written by writeLocalSecrets. */
export async function writeLocalEnv(
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const file = path.join(dir, 'env');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(file, localEnvText(env), { mode: 0o600 });
  return file;
}
