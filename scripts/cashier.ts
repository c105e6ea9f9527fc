/**
 * `npm run cashier -- ...`: plays Baidu's cashier against a running `npm start`, sending a payment notify
 * (the payment kept by the local cashier too, and with --drop-notify only kept), a refund audit or a refund result signed with this run's local cashier key (cashier-private-key.pem in LOCAL_SECRETS_DIR,
 * default .local), to the HTTP API on LOCAL_HTTP_PORT (default 3000), as npm start itself reads them. Prints the service's answer; exits 1 unless it is errno 0.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signedNotifyForm } from '../local/cashier';
import { CASHIER_CLI_USAGE, parseCashierArgs } from '../local/cashier-cli';
import { DEFAULT_PORTS, PORT_ENV } from '../local/start/options';
import { localSecretFiles } from '../local/start/secrets';
import { InvalidInputError } from '../lib/validation';

async function main(): Promise<number> {
  let callback: ReturnType<typeof parseCashierArgs>;
  try {
    callback = parseCashierArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    console.error(`${err.message}\n\nusage:\n${CASHIER_CLI_USAGE}`);
    return 2;
  }
  const secretsDir = path.resolve(__dirname, '..', process.env.LOCAL_SECRETS_DIR || '.local');
  const keyFile = localSecretFiles(secretsDir).cashierPrivateKey;
  let key: string;
  try {
    key = readFileSync(keyFile, 'utf8');
  } catch {
    console.error(`cashier: ${keyFile} is missing; start the local stack first (npm start)`);
    return 1;
  }
  if (callback.payment) {
    // The local cashier (in the local Order Center) keeps the payment: its query answers from it.
    const ocPort = process.env[PORT_ENV.orderCenter] ?? String(DEFAULT_PORTS.orderCenter);
    const taken = await fetch(`http://127.0.0.1:${ocPort}/__cashier/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(callback.payment),
    });
    console.log(`the local cashier took ${JSON.stringify(callback.payment)}: ${taken.status}`);
    if (taken.status !== 200) return 1;
    if (callback.dropNotify) {
      console.log(
        'its notify is dropped: reconcile asks the cashier once the order is PAYMENT_CHECK_AFTER_MINUTES old',
      );
      return 0;
    }
  }
  const port = process.env[PORT_ENV.http] ?? String(DEFAULT_PORTS.http);
  const url = `http://127.0.0.1:${port}${callback.path}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: signedNotifyForm(callback.fields, key),
  });
  const reply = await res.text();
  console.log(`POST ${url} ${new URLSearchParams(callback.fields).toString()}\n${res.status} ${reply}`);
  return res.status === 200 && (JSON.parse(reply) as { errno?: unknown }).errno === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`cashier: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
