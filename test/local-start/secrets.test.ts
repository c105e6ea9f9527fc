import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localEnvText, writeLocalEnv, writeLocalSecrets } from '../../local/start/secrets';

describe('writeLocalSecrets', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'local-secrets-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const secrets = {
    appSecret: 'app-secret',
    webhookSecret: 'webhook-secret-value',
    cashierPrivateKeyPem: '-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\n',
    cashierPublicKeyPem: '-----BEGIN PUBLIC KEY-----\nBBB\n-----END PUBLIC KEY-----\n',
  };

  it('writes the webhook secret and both cashier keys, readable by the owner only', async () => {
    // Act
    const files = await writeLocalSecrets(path.join(root, '.local'), secrets);

    // Assess
    expect(await readFile(files.webhookSecret, 'utf8')).toBe('webhook-secret-value');
    expect(await readFile(files.cashierPrivateKey, 'utf8')).toBe(secrets.cashierPrivateKeyPem);
    expect(await readFile(files.cashierPublicKey, 'utf8')).toBe(secrets.cashierPublicKeyPem);
    expect(path.basename(files.cashierPrivateKey)).toBe('cashier-private-key.pem');
    for (const file of [files.webhookSecret, files.cashierPrivateKey, files.cashierPublicKey]) {
      expect((await stat(file)).mode & 0o077).toBe(0);
    }
  });

  it('never writes the app secret, which only the stand-ins need', async () => {
    const files = await writeLocalSecrets(path.join(root, '.local'), secrets);

    for (const file of [files.webhookSecret, files.cashierPrivateKey, files.cashierPublicKey]) {
      expect(await readFile(file, 'utf8')).not.toContain('app-secret');
    }
  });

  it('keeps the folder out of git by itself', async () => {
    const files = await writeLocalSecrets(path.join(root, '.local'), secrets);

    const ignore = (await readFile(path.join(files.dir, '.gitignore'), 'utf8')).split('\n');
    expect(ignore).toContain('*');
  });

  it('overwrites the files of an earlier start', async () => {
    const dir = path.join(root, '.local');
    await writeLocalSecrets(dir, secrets);

    const files = await writeLocalSecrets(dir, { ...secrets, webhookSecret: 'the next one' });

    expect(await readFile(files.webhookSecret, 'utf8')).toBe('the next one');
  });
});

describe('writeLocalEnv', () => {
  const env = {
    STAGE: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4012',
    AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:4011',
    AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:3002',
    ORDER_CENTER_BASE_URL: 'http://127.0.0.1:4010',
    BAIDU_APP_KEY: 'local-app-key',
    CASHIER_APP_KEY: 'local-cashier-app-key',
    LEDGER_TABLE: 'swan-order-sync-local-ledger',
  };

  it('writes what invoke local needs from the shell, one NAME=value a line, owner only', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'local-env-'));
    try {
      const file = await writeLocalEnv(path.join(root, '.local'), env);
      const lines = (await readFile(file, 'utf8')).trim().split('\n');
      expect(lines).toEqual([
        'AWS_ACCESS_KEY_ID=local',
        'AWS_SECRET_ACCESS_KEY=local',
        'AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:4012',
        'AWS_ENDPOINT_URL_SSM=http://127.0.0.1:4011',
        'AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:3002',
        'ORDER_CENTER_BASE_URL=http://127.0.0.1:4010',
        'BAIDU_APP_KEY=local-app-key',
        'CASHIER_APP_KEY=local-cashier-app-key',
      ]);
      expect((await stat(file)).mode & 0o077).toBe(0);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('refuses a value with whitespace, which `env $(cat .local/env)` would split', () => {
    expect(() => localEnvText({ BAIDU_APP_KEY: 'two words' })).toThrow('BAIDU_APP_KEY holds whitespace');
  });
});
