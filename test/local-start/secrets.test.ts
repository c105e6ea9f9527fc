import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeLocalSecrets } from '../../local/start/secrets';

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
