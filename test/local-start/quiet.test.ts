import { readFileSync } from 'node:fs';
import path from 'node:path';
import { outputFilter, quietLine, reconcileLine } from '../../local/start/quiet';

/**
 * serverless-offline's output from a real `npm start` (LOCAL_HTTP_PORT=4500; its own Lambda endpoint on
 * 34087, behind the invoke guard): start-up, one scheduled reconcile run, one refused request, one
 * direct invoke of the reconcile report.
 */
const RECORDED = readFileSync(
  path.join(__dirname, '..', 'fixtures', 'local-start', 'offline-output.txt'),
  'utf8',
);

const quiet = (text: string) => {
  const filter = outputFilter(false);
  return filter.push(text) + filter.flush();
};

describe('outputFilter (npm start, quiet by default)', () => {
  it('shows a real run as one line per request, per reconcile run, per warning', () => {
    // Act
    const shown = quiet(RECORDED);

    // Assess
    expect(shown.split('\n')).toEqual([
      '03:42:00 reconcile: 0 due, 0 pushed, 0 confirmed (103 ms)',
      'POST /events/order-placed (λ: orderPlaced)',
      '03:42:40 WARN request refused: route=POST /events/order-placed status=401 durationMs=208 ' +
        'reason=bad_signature fields=X-Signature',
      '',
    ]);
  });

  it.each([
    ['the box of invoke URLs on the HTTP port (they answer 404)', '/2015-03-31/functions/'],
    ["the address of serverless-offline's own Lambda endpoint (only the guard talks to it)", ':34087'],
    ['metrics blobs', '"_aws"'],
    ['Lambda REPORT lines', 'RequestId'],
    ['INFO log lines', '"level":"INFO"'],
    ['the scheduler', 'Successfully invoked scheduled function'],
  ])('drops %s', (_what, text) => {
    expect(RECORDED).toContain(text);
    expect(quiet(RECORDED)).not.toContain(text);
  });

  it('passes everything through unchanged when verbose', () => {
    const filter = outputFilter(true);
    expect(filter.push(RECORDED) + filter.flush()).toBe(RECORDED);
  });

  it('gives the same lines whatever the chunks', () => {
    // Prepare: the recording cut into 7-byte chunks, mid-line and mid-character
    const bytes = Buffer.from(RECORDED);
    const filter = outputFilter(false);
    let shown = '';
    const decoder = new TextDecoder();

    // Act
    for (let i = 0; i < bytes.length; i += 7) {
      shown += filter.push(decoder.decode(bytes.subarray(i, i + 7), { stream: true }));
    }
    shown += filter.flush();

    // Assess
    expect(shown).toBe(quiet(RECORDED));
  });

  it('keeps an unfinished last line until flushed', () => {
    const filter = outputFilter(false);
    expect(filter.push('Error: bundling failed')).toBe('');
    expect(filter.flush()).toBe('Error: bundling failed\n');
  });
});

describe('quietLine', () => {
  const log = (fields: Record<string, unknown>) =>
    JSON.stringify({
      timestamp: '2026-11-30T03:42:00.375Z',
      service: 'swan-order-sync',
      function_request_id: 'r',
      ...fields,
    });

  it.each([
    ['a line it does not know', 'Warning: something new', 'Warning: something new'],
    ['JSON that is not a log line', '{"orders":[]}', '{"orders":[]}'],
    ['text that starts like JSON', '{ not json', '{ not json'],
    ['an INFO line', log({ level: 'INFO', message: 'request done', status: 202 }), undefined],
    ['a DEBUG line', log({ level: 'DEBUG', message: 'x' }), undefined],
    [
      'an ERROR line, without the Lambda context',
      log({ level: 'ERROR', message: 'internal fault', error: { name: 'TypeError' } }),
      '03:42:00 ERROR internal fault: error={"name":"TypeError"}',
    ],
    ['a WARN line with nothing else', log({ level: 'WARN', message: 'odd' }), '03:42:00 WARN odd'],
    ['an empty line', '', undefined],
    ['a line of spaces', '   ', undefined],
  ])('%s', (_what, line, expected) => {
    expect(quietLine(line)).toBe(expected);
  });
});

describe('reconcileLine', () => {
  const run = {
    level: 'INFO',
    message: 'reconcile run',
    timestamp: '2026-11-30T03:42:00.375Z',
    due: 3,
    pushed: 3,
    confirmed: 1,
    pending: 1,
    failed: 1,
    dead: 0,
    waiting: 0,
    busy: 0,
    quota: 0,
    calls: { 'add/main/info': 3 },
    durationMs: 104,
    stoppedEarly: false,
  };

  it.each([
    [
      'the counts that are not 0 after the three that always show',
      run,
      '03:42:00 reconcile: 3 due, 3 pushed, 1 confirmed; pending 1, failed 1 (104 ms)',
    ],
    [
      'a run that ran out of time',
      { ...run, stoppedEarly: true, quota: 2 },
      '03:42:00 reconcile: 3 due, 3 pushed, 1 confirmed; pending 1, failed 1, quota 2 (104 ms, stopped early: out of time)',
    ],
    [
      'fields it does not know, or lacks',
      { message: 'reconcile run', shards: 4 },
      'reconcile: 0 due, 0 pushed, 0 confirmed',
    ],
  ])('%s', (_what, entry, expected) => {
    expect(reconcileLine(entry)).toBe(expected);
  });
});

describe('the scheduled run since issue 13: a coordinator and a worker per shard', () => {
  const at = { level: 'INFO', timestamp: '2026-11-30T03:42:00.375Z' };
  const idle = {
    ...at,
    message: 'reconcile worker run',
    shard: 3,
    due: 0,
    pushed: 0,
    confirmed: 0,
    pending: 0,
    failed: 0,
    dead: 0,
    waiting: 0,
    busy: 0,
    quota: 0,
    calls: {},
    durationMs: 12,
    stoppedEarly: false,
  };

  it.each([
    [
      'the coordinator: one line naming how many workers it started',
      { ...at, message: 'reconcile started its workers', shards: 16, started: [0, 1, 2], failed: [] },
      '03:42:00 reconcile: started 3 shard workers',
    ],
    [
      'the coordinator, when a start failed',
      {
        ...at,
        message: 'reconcile started its workers',
        shards: 2,
        started: [0],
        failed: [{ shard: 1, error: 'TooManyRequestsException: Rate exceeded' }],
      },
      '03:42:00 reconcile: started 1 shard worker; 1 failed to start',
    ],
    ['a worker that found nothing to do: not shown', idle, undefined],
    [
      'a worker that pushed: its shard and counts',
      { ...idle, due: 2, pushed: 2, confirmed: 2 },
      '03:42:00 reconcile shard 3: 2 due, 2 pushed, 2 confirmed (12 ms)',
    ],
    [
      'a worker that asked the cashier about unpaid orders (the payment check)',
      { ...idle, paymentChecks: { queries: 2, asked: 2, paid: 1, unpaid: 1, failed: 0 } },
      '03:42:00 reconcile shard 3: 0 due, 0 pushed, 0 confirmed; asked the cashier 2, found paid 1 (12 ms)',
    ],
    [
      'a worker whose payment check had nothing due: not shown',
      { ...idle, paymentChecks: { queries: 0, asked: 0, paid: 0 } },
      undefined,
    ],
    [
      'a worker that ran out of time with nothing counted',
      { ...idle, stoppedEarly: true },
      '03:42:00 reconcile shard 3: 0 due, 0 pushed, 0 confirmed (12 ms, stopped early: out of time)',
    ],
  ])('%s', (_what, entry, expected) => {
    expect(quietLine(JSON.stringify(entry))).toBe(expected);
  });
});
