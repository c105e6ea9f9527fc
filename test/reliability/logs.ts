/**
 * Every line the service writes to stdout or stderr (the Powertools logger writes its JSON lines there),
 * kept for the secret scan and kept off the console, until restore().
 */
export interface CapturedLogs {
  lines(): string[];
  restore(): void;
}

export function captureLogs(): CapturedLogs {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  }
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== ''),
    restore: () => {
      streams.forEach((stream, i) => {
        stream.write = originals[i]!;
      });
    },
  };
}

/** Strings shaped like the per-request secrets: HMAC hex digests and access tokens, base64 RSA signatures. */
const SECRET_SHAPED = /[0-9a-f]{64}|[A-Za-z0-9+/]{40,}={0,2}/g;

/**
 * Where a secret appears in the log lines: `line n: what`. `named` are searched for as they are (a few
 * long-lived secrets); `values` are the many per-request ones (signatures, tokens), matched by shape.
 */
export function secretsInLogs(
  lines: readonly string[],
  named: ReadonlyMap<string, string>,
  values: ReadonlySet<string> = new Set(),
): string[] {
  const found: string[] = [];
  lines.forEach((line, i) => {
    for (const [name, value] of named)
      if (value !== '' && line.includes(value)) found.push(`line ${i + 1}: ${name}`);
    for (const match of line.match(SECRET_SHAPED) ?? []) {
      if (values.has(match)) found.push(`line ${i + 1}: a signature or token (${match.slice(0, 8)}...)`);
    }
  });
  return found;
}

/** A suite's account of what it tried and what held, printed once at its end. */
export function printCounts(title: string, counts: Readonly<Record<string, number | string>>): void {
  const width = Math.max(...Object.keys(counts).map((key) => key.length));
  const rows = Object.entries(counts).map(([key, value]) => {
    const text = typeof value === 'number' ? value.toLocaleString('en-US') : value;
    return `  ${key.padEnd(width)}  ${text}`;
  });
  console.log([`${title}`, ...rows].join('\n'));
}
