import { ServiceUnavailableError } from './errors';

/**
 * Runs `work`, or gives up on it after `ms` with a 503 (the sender retries; Baidu's cashier does on its
 * own). What it was waiting on (a hung SSM read, a DynamoDB write past its timeouts) is abandoned: a fact
 * recorded after the 503 is a duplicate when the notify comes again, and the answer is the same then.
 */
export async function answerWithin<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ServiceUnavailableError(
            'ledger_unavailable',
            'the event could not be recorded in time; retry later',
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work(), late]);
  } finally {
    clearTimeout(timer);
  }
}
