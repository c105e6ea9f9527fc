import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  deployBuildOptions,
  deployedNodeOptions,
  functionEntries,
  readServerlessYml,
  ROOT,
} from './deploy-config';
import { target, verdict, type SectionResult } from './report';
import { kb, median, round } from './stats';
import { zipEntries } from './zip';

const run = promisify(execFile);

export const BASELINE = 'baseline';
const BASELINE_ENTRY = 'bench/baseline/handler.ts';
const MAX_ZIP_BYTES = 300 * 1024;
const MAX_LOAD_RATIO = 1.6;

export interface ColdStartOptions {
  /** timed loads per bundle and mode; the round before them is a discarded warm-up */
  runs: number;
}

export interface FunctionColdStart {
  zipBytes: number;
  jsBytes: number;
  mapBytes: number;
  /** median ms to require the handler module, with the deployed NODE_OPTIONS */
  loadMs: number;
  ratio: number;
  /** median ms without NODE_OPTIONS (no --enable-source-maps), for comparison */
  loadMsPlain: number;
  ratioPlain: number;
}

export interface ColdStartFigures {
  nodeOptions: string;
  runs: number;
  baseline: { jsBytes: number; mapBytes: number; loadMs: number; loadMsPlain: number };
  functions: Record<string, FunctionColdStart>;
}

/** `serverless package` into a temporary folder: the zips exactly as a deploy uploads them. */
async function packageZips(): Promise<{ dir: string; zips: Record<string, string> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-package-'));
  const cli = path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');
  // Any stage but local needs an AppKey to package: a placeholder, since these zips are never deployed.
  // (and not a local stand-in as its Order Center, should this process have started one)
  const { ORDER_CENTER_BASE_URL: _local, ...inherited } = process.env;
  const env = { ...inherited, BAIDU_APP_KEY: process.env.BAIDU_APP_KEY || 'bench-package-check' };
  await run(process.execPath, [cli, 'package', '--package', dir], {
    cwd: ROOT,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const names = Object.keys(functionEntries());
  return { dir, zips: Object.fromEntries(names.map((name) => [name, path.join(dir, `${name}.zip`)])) };
}

/** The handlers and the baseline, bundled with serverless.yml's custom.esbuild, one file each. */
async function bundle(
  entries: Record<string, string>,
): Promise<{ dir: string; files: Record<string, string> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-bundles-'));
  const files: Record<string, string> = {};
  for (const [name, entry] of Object.entries(entries)) {
    const outdir = path.join(dir, name);
    await build({ ...deployBuildOptions(), absWorkingDir: ROOT, entryPoints: [entry], outdir, write: true });
    files[name] = path.join(outdir, `${path.basename(entry, '.ts')}.js`);
  }
  return { dir, files };
}

/** The child's own account of how long `require` of the handler module took (no network at load). */
const PROBE = [
  'const started = process.hrtime.bigint();',
  'require(process.argv[1]);',
  'process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));',
].join('');

async function loadOnce(file: string, nodeOptions: string): Promise<number> {
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_OPTIONS: nodeOptions,
    AWS_REGION: 'ap-southeast-1',
    AWS_LAMBDA_FUNCTION_NAME: path.basename(file, '.js'),
    POWERTOOLS_SERVICE_NAME: 'swan-order-sync',
  };
  const { stdout } = await run(process.execPath, ['-e', PROBE, file], { env });
  const ms = Number(stdout);
  if (!Number.isFinite(ms)) throw new Error(`load probe of ${file} printed ${JSON.stringify(stdout)}`);
  return ms;
}

/** Rounds over every bundle in turn, so that drift in the machine's speed hits all of them alike. */
async function loadTimes(
  files: Record<string, string>,
  nodeOptions: string,
  runs: number,
): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(files).map((name) => [name, []]));
  for (let round = 0; round <= runs; round++) {
    for (const [name, file] of Object.entries(files)) {
      const ms = await loadOnce(file, nodeOptions);
      if (round > 0) times[name]!.push(ms);
    }
  }
  return times;
}

export async function coldStart(options: ColdStartOptions): Promise<SectionResult<ColdStartFigures>> {
  const yml = readServerlessYml();
  const entries = functionEntries(yml);
  const nodeOptions = deployedNodeOptions(yml);
  const packaged = await packageZips();
  const bundles = await bundle({ [BASELINE]: BASELINE_ENTRY, ...entries });
  try {
    const deployed = await loadTimes(bundles.files, nodeOptions, options.runs);
    const plain = await loadTimes(bundles.files, '', options.runs);
    const size = (file: string) => statSync(file).size;
    const baselineMs = median(deployed[BASELINE]!);
    const baselinePlainMs = median(plain[BASELINE]!);
    const functions: Record<string, FunctionColdStart> = {};
    for (const name of Object.keys(entries)) {
      const zipFile = packaged.zips[name]!;
      const inZip = zipEntries(zipFile);
      const js = inZip.find((e) => e.name.endsWith('.js'));
      const map = inZip.find((e) => e.name.endsWith('.js.map'));
      if (js?.bytes !== size(bundles.files[name]!)) {
        throw new Error(
          `${name}: the bench's bundle differs from the packaged one; custom.esbuild was not read right`,
        );
      }
      const loadMs = median(deployed[name]!);
      const loadMsPlain = median(plain[name]!);
      functions[name] = {
        zipBytes: size(zipFile),
        jsBytes: js.bytes,
        mapBytes: map?.bytes ?? 0,
        loadMs: round(loadMs, 1),
        ratio: round(loadMs / baselineMs, 2),
        loadMsPlain: round(loadMsPlain, 1),
        ratioPlain: round(loadMsPlain / baselinePlainMs, 2),
      };
    }
    const figures: ColdStartFigures = {
      nodeOptions,
      runs: options.runs,
      baseline: {
        jsBytes: size(bundles.files[BASELINE]!),
        mapBytes: size(`${bundles.files[BASELINE]!}.map`),
        loadMs: round(baselineMs, 1),
        loadMsPlain: round(baselinePlainMs, 1),
      },
      functions,
    };
    return {
      name: 'cold start',
      figures,
      targets: Object.entries(functions).flatMap(([name, f]) => [
        target('cold start', `${name} zip`, kb(f.zipBytes), '<=', MAX_ZIP_BYTES / 1024, 'KB'),
        target('cold start', `${name} load / baseline`, f.ratio, '<=', MAX_LOAD_RATIO, '×'),
      ]),
      tables: [
        {
          title: `1. Cold start: median of ${options.runs} loads per bundle in a fresh Node ${process.version} process`,
          header: [
            'function',
            'zip KB',
            'js KB',
            'map KB',
            'load ms',
            '× baseline',
            'no-map ms',
            '× baseline',
            'zip',
            'load',
          ],
          rows: [
            [
              `${BASELINE} (middy + SSM GetParameter)`,
              '-',
              kb(figures.baseline.jsBytes),
              kb(figures.baseline.mapBytes),
              figures.baseline.loadMs,
              1,
              figures.baseline.loadMsPlain,
              1,
              '-',
              '-',
            ],
            ...Object.entries(functions).map(([name, f]) => [
              name,
              kb(f.zipBytes),
              kb(f.jsBytes),
              kb(f.mapBytes),
              f.loadMs,
              f.ratio,
              f.loadMsPlain,
              f.ratioPlain,
              verdict(f.zipBytes <= MAX_ZIP_BYTES),
              verdict(f.ratio <= MAX_LOAD_RATIO),
            ]),
          ],
          notes: [
            `load ms: require() of the handler module with the deployed NODE_OPTIONS "${nodeOptions}"; no-map ms: without it.`,
            `Targets: zip <= ${MAX_ZIP_BYTES / 1024} KB; load <= ${MAX_LOAD_RATIO} × the baseline, bundled with the same custom.esbuild.`,
          ],
        },
      ],
    };
  } finally {
    rmSync(packaged.dir, { recursive: true, force: true });
    rmSync(bundles.dir, { recursive: true, force: true });
  }
}
