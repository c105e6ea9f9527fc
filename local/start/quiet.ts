/**
 * What `npm start` shows of serverless-offline's output. By default only what a merchant acts on: one line
 * per request it serves, one line per reconcile run (the coordinator's, plus a line for each shard worker
 * that found work), and every warning or error (made one line, without
 * the Lambda context keys). Dropped: serverless-offline's start-up chatter (its box of routes with invoke
 * URLs on the HTTP port, which answer 404, and the address of its Lambda endpoint, which only the invoke
 * guard talks to: the banner prints the true addresses), the Lambda REPORT lines, the metrics (EMF) blobs
 * and the functions' INFO logs. LOCAL_VERBOSE=1 shows all of it as it comes.
 */

/** Lines of serverless-offline's own start-up and per-invocation chatter. */
const CHATTER: readonly RegExp[] = [
  /^Starting Offline at stage /,
  /^Offline \[http for lambda\] listening on /,
  /^Function names exposed for local invocation by aws-sdk:/,
  /^ {3}\* [\w-]+: [\w-]+$/,
  /^Scheduling \[[\w-]+\] cron: /,
  /^Server ready: /,
  /^\(λ: [\w-]+\) RequestId: /,
  /^Successfully invoked scheduled function: /,
];
/** serverless-offline's box of routes: ┌ ... │ ... └ */
const BOX = /^[┌│└]/;

/** Keys Powertools adds to every line: the Lambda context, which locally says nothing. */
const CONTEXT_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);

type Json = Record<string, unknown>;

function parseObject(line: string): Json | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** HH:MM:SS of the log line's timestamp (UTC, as the logs are), or nothing. */
function clockOf(entry: Json): string {
  const at = typeof entry.timestamp === 'string' ? /T(\d\d:\d\d:\d\d)/.exec(entry.timestamp) : null;
  return at ? `${at[1]} ` : '';
}

const count = (entry: Json, key: string): number => (typeof entry[key] === 'number' ? entry[key] : 0);

/** "03:42:00 reconcile: started 16 shard workers": the scheduled coordinator's run, one line a minute. */
export function startedLine(entry: Json): string {
  const started = Array.isArray(entry.started) ? entry.started.length : 0;
  const failed = Array.isArray(entry.failed) ? entry.failed.length : 0;
  return `${clockOf(entry)}reconcile: started ${started} shard worker${started === 1 ? '' : 's'}${
    failed > 0 ? `; ${failed} failed to start` : ''
  }`;
}

/** A shard worker's run is shown only when it did something: a quiet minute stays one line. */
function workerDidSomething(entry: Json): boolean {
  return (
    entry.stoppedEarly === true ||
    count((entry.paymentChecks ?? {}) as Json, 'asked') > 0 ||
    Object.entries(entry).some(
      ([key, value]) => key !== 'shard' && key !== 'durationMs' && typeof value === 'number' && value > 0,
    )
  );
}

/** "03:42:00 reconcile: 3 due, 3 pushed, 2 confirmed; pending 1 (104 ms)": the counts that are not 0. */
export function reconcileLine(entry: Json): string {
  const head = ['due', 'pushed', 'confirmed'].map((key) => `${count(entry, key)} ${key}`).join(', ');
  const rest = ['pending', 'failed', 'dead', 'waiting', 'busy', 'quota']
    .filter((key) => count(entry, key) > 0)
    .map((key) => `${key} ${count(entry, key)}`);
  const tail = [
    typeof entry.durationMs === 'number' ? `${entry.durationMs} ms` : undefined,
    entry.stoppedEarly === true ? 'stopped early: out of time' : undefined,
  ].filter((part) => part !== undefined);
  // The payment check (docs/contract.md section 5c): how many unpaid orders the cashier was asked about.
  const checks = (entry.paymentChecks ?? {}) as Json;
  if (count(checks, 'asked') > 0) {
    rest.push(`asked the cashier ${count(checks, 'asked')}, found paid ${count(checks, 'paid')}`);
  }
  const which = typeof entry.shard === 'number' ? ` shard ${entry.shard}` : '';
  return `${clockOf(entry)}reconcile${which}: ${head}${rest.length > 0 ? `; ${rest.join(', ')}` : ''}${
    tail.length > 0 ? ` (${tail.join(', ')})` : ''
  }`;
}

const shown = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : Array.isArray(value)
      ? value.map(shown).join(',')
      : JSON.stringify(value);

/** "03:42:40 WARN request refused: route=POST /events/order-placed status=401 reason=bad_signature" */
export function warningLine(entry: Json): string {
  const fields = Object.entries(entry)
    .filter(([key, value]) => !CONTEXT_KEYS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${shown(value)}`);
  return `${clockOf(entry)}${String(entry.level)} ${String(entry.message)}${fields.length > 0 ? `: ${fields.join(' ')}` : ''}`;
}

/** What one line of serverless-offline's output becomes: itself, a shorter line, or nothing (undefined). */
export function quietLine(line: string): string | undefined {
  // Blank lines only frame what is dropped (serverless-offline ends each invocation with one).
  if (line.trim() === '' || BOX.test(line) || CHATTER.some((pattern) => pattern.test(line))) return undefined;
  const entry = parseObject(line);
  if (entry === undefined) return line;
  if ('_aws' in entry) return undefined; // a metrics (EMF) blob: CloudWatch's, not a person's
  if (typeof entry.level !== 'string' || typeof entry.message !== 'string') return line;
  if (entry.message === 'reconcile run') return reconcileLine(entry);
  if (entry.message === 'reconcile started its workers') return startedLine(entry);
  if (entry.message === 'reconcile worker run')
    return workerDidSomething(entry) ? reconcileLine(entry) : undefined;
  if (entry.level === 'WARN' || entry.level === 'ERROR' || entry.level === 'CRITICAL')
    return warningLine(entry);
  return undefined;
}

export interface OutputFilter {
  /** Takes a chunk as it comes; returns what to show of its complete lines. */
  push(chunk: string): string;
  /** What is left of an unfinished last line, filtered the same way. */
  flush(): string;
}

/** Line by line (a chunk may end mid-line); verbose passes everything through unchanged. */
export function outputFilter(verbose: boolean): OutputFilter {
  let partial = '';
  const filterLine = (line: string): string => {
    const kept = quietLine(line);
    return kept === undefined ? '' : `${kept}\n`;
  };
  return {
    push(chunk) {
      if (verbose) return chunk;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      return lines.map(filterLine).join('');
    },
    flush() {
      const rest = partial;
      partial = '';
      return verbose || rest === '' ? '' : filterLine(rest);
    },
  };
}
