import { Logger } from '@aws-lambda-powertools/logger';

/** Keys whose values never reach a log line, wherever they sit in a logged object. */
const SECRET_KEY = /^(access_?token|token|.*secret|.*signature|rsa_?sign|sign|authorization|private_?key)$/i;
const REDACTED = '[redacted]';

/** JSON replacer for the logger: blanks the value of every secret-looking key. */
export function redactSecrets(key: string, value: unknown): unknown {
  return key !== '' && SECRET_KEY.test(key) && value !== undefined && value !== null ? REDACTED : value;
}

/** The one structured logger (Powertools: JSON lines with the Lambda context, secrets redacted by key). */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'swan-order-sync',
  jsonReplacerFn: redactSecrets,
});
