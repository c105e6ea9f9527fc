/**
 * `npm run bench`: cold start, projection throughput, reconcile and webhook latency (issue 9). Prints a table
 * per section and the targets, and writes bench/results.json. It reports; it does not fail on a missed target.
 *
 *   npm run bench                      everything (a few minutes on 2 cores)
 *   npm run bench -- --only=throughput one or more of: cold-start, throughput, reconcile, webhook, drain
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import path from 'node:path';
import { startStackForHandlers } from '../test/helpers/stack';
import { coldStart } from './cold-start';
import { drainBench } from './drain';
import { ROOT } from './deploy-config';
import { reconcileBench } from './reconcile';
import { renderTable, renderTargets, type SectionResult } from './report';
import { round } from './stats';
import { throughput } from './throughput';
import { webhookBench } from './webhook';

const SECTIONS = ['cold-start', 'throughput', 'reconcile', 'webhook', 'drain'] as const;
type SectionName = (typeof SECTIONS)[number];

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function chosenSections(argv: readonly string[]): SectionName[] {
  const only = argv.find((arg) => arg.startsWith('--only='));
  if (!only) return [...SECTIONS];
  const names = only.slice('--only='.length).split(',');
  const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new UsageError(`--only: unknown section ${unknown.join(', ')}; use ${SECTIONS.join(', ')}`);
  return names as SectionName[];
}

const progress = (message: string): void => {
  process.stderr.write(`bench: ${message}\n`);
};

/**
 * The handlers log a JSON line per request: while they run, stdout keeps only a count of those lines
 * (writing them still costs what it costs in Lambda), so the tables stay readable.
 */
async function withLogsCounted<T>(work: () => Promise<T>): Promise<{ result: T; logLines: number }> {
  const write = process.stdout.write;
  let logLines = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    logLines += text.split('\n').filter((line) => line !== '').length;
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await work(), logLines };
  } finally {
    process.stdout.write = write;
  }
}

async function main(): Promise<void> {
  const sections = chosenSections(process.argv.slice(2));
  const results: SectionResult[] = [];
  const startedAt = new Date();
  /** wall seconds of each section (and of starting the stack): where the bench's own time goes */
  const seconds: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await work();
    } finally {
      seconds[name] = round((Date.now() - started) / 1000, 1);
      progress(`${name}: ${seconds[name]} s`);
    }
  };

  if (sections.includes('throughput')) {
    progress('throughput: projection + validation');
    results.push(
      await timed('throughput', () =>
        Promise.resolve(throughput({ orders: 1_000, warmUpMs: 1_500, measureMs: 5_000 })),
      ),
    );
  }
  if (sections.some((section) => section !== 'throughput')) {
    const stack = await timed('stack', () => startStackForHandlers());
    try {
      if (sections.includes('cold-start')) {
        progress('cold start: packaging, bundling, timing fresh loads and cold notifies (about two minutes)');
        const { result } = await timed('cold-start', () =>
          withLogsCounted(() => coldStart({ runs: 21, notifyRuns: 9, stack })),
        );
        results.unshift(result);
      }
      if (sections.includes('reconcile')) {
        progress('reconcile: 2,000 orders per scenario, the Order Center 50 ms away (about a minute)');
        const { result } = await timed('reconcile', () =>
          withLogsCounted(() =>
            reconcileBench(stack, {
              users: 200,
              ordersPerUser: 10,
              sampleOrders: 50,
              latencyMs: 50,
              concurrency: 16,
              batchSize: 10,
              maxQps: 10_000,
            }),
          ),
        );
        results.push(result);
      }
      if (sections.includes('drain')) {
        progress('drain: 10,000 due orders over 16 shard workers, BAIDU_MAX_QPS 200 (a few minutes)');
        const { result } = await timed('drain', () =>
          withLogsCounted(() =>
            drainBench(stack, {
              orders: Number(process.env.BENCH_DRAIN_ORDERS ?? 10_000),
              smallOrders: 2_000,
              shards: 16,
              maxQps: 200,
              latencyMs: 50,
              concurrency: 8,
            }),
          ),
        );
        results.push(result);
      }
      if (sections.includes('webhook')) {
        progress('webhook: every lifecycle route, 200+ requests each');
        const { result } = await timed('webhook', () =>
          withLogsCounted(() => webhookBench(stack, { perRoute: 200, warmUpOrders: 10 })),
        );
        results.push(result);
      }
    } finally {
      await stack.stopAndRestore();
    }
  }

  const targets = results.flatMap((r) => r.targets);
  const report = {
    date: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${osType()} ${release()}`,
    },
    node: process.version,
    sectionSeconds: seconds,
    sections: Object.fromEntries(results.map((r) => [r.name, r.figures])),
    targets,
    missed: targets.filter((t) => !t.pass).length,
  };
  for (const result of results)
    for (const table of result.tables) process.stdout.write(`\n${renderTable(table)}\n`);
  if (targets.length > 0) process.stdout.write(`\n${renderTargets(targets)}\n`);
  const met =
    targets.length > 0 ? `${targets.length - report.missed} of ${targets.length} targets met` : 'no targets';
  const where = `Node ${process.version}, ${report.machine.cores} × ${report.machine.cpu}`;
  const took = Object.entries(seconds)
    .map(([name, s]) => `${name} ${s} s`)
    .join(', ');
  process.stdout.write(`\n${met}; ${where}, ${Math.round(report.durationMs / 1000)} s (${took})\n`);
  const file = path.join(ROOT, 'bench', 'results.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`written: ${path.relative(process.cwd(), file)}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
