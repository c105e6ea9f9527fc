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

/**
 * Writes the local stack's secrets (readable by the owner only). The folder carries its own .gitignore,
 * so whatever is written there can never be committed, whatever the repository's .gitignore says.
 */
export async function writeLocalSecrets(dir: string, secrets: LocalSecrets): Promise<LocalSecretFiles> {
  const files = localSecretFiles(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(path.join(dir, '.gitignore'), '# written by npm start: local secrets, never commit\n*\n');
  const secret = { mode: 0o600 } as const;
  await writeFile(files.webhookSecret, secrets.webhookSecret, secret);
  await writeFile(files.cashierPrivateKey, secrets.cashierPrivateKeyPem, secret);
  await writeFile(files.cashierPublicKey, secrets.cashierPublicKeyPem, secret);
  return files;
}
