import { decode } from '@jridgewell/sourcemap-codec';
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deployBuildOptions, ROOT } from '../../bench/deploy-config';
import { printCounts } from './logs';

/**
 * The deploy bundles keep source maps of this repository's code only, at line level
 * (scripts/esbuild-plugins.cjs; the pure parts are table-tested in test/build): a stack trace still leads
 * to lib/ file:line, and no dependency code is ever attributed to our files.
 */

const run = promisify(execFile);
const ENTRY = 'functions/shipped.ts';

let dir: string;
let deployed: { js: string; map: SourceMapPayload };
let full: { js: string; map: SourceMapPayload };
const checked = { positions: 0, ownPositions: 0, fullOwnSegments: 0, deployedSegments: 0 };

async function bundle(outdir: string, withPlugins: boolean): Promise<{ js: string; map: SourceMapPayload }> {
  const options = deployBuildOptions();
  await build({
    ...options,
    plugins: withPlugins ? options.plugins : [],
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outdir,
    write: true,
  });
  const js = path.join(outdir, 'shipped.js');
  return { js, map: JSON.parse(readFileSync(`${js}.map`, 'utf8')) as SourceMapPayload };
}

const isDependency = (source: string) => /(^|\/)node_modules\//.test(source);

/** The original file of a lookup; an unmapped position has none. */
const sourceOf = (entry: object): string | undefined => (entry as { originalSource?: string }).originalSource;
const lineOf = (entry: object): number | undefined => (entry as { originalLine?: number }).originalLine;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'source-maps-'));
  deployed = await bundle(path.join(dir, 'deployed'), true);
  full = await bundle(path.join(dir, 'full'), false);
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  printCounts('source maps: held', {
    'bundle positions compared with the full map': checked.positions,
    'of them in our code, mapped the same': checked.ownPositions,
    'full map bytes': JSON.stringify(full.map).length,
    'deployed map bytes': JSON.stringify(deployed.map).length,
    'segments of our code in the full map': checked.fullOwnSegments,
    'segments in the deployed map': checked.deployedSegments,
  });
});

describe('the deploy bundle of shipped', () => {
  it('is built with the own-code source map plugin, and its map names only our files', () => {
    expect(deployBuildOptions().plugins?.map((p) => p.name)).toContain('own-code-source-maps');
    expect(deployed.map.sources.length).toBeGreaterThan(10);
    expect(deployed.map.sources.filter(isDependency)).toEqual([]);
    expect(full.map.sources.filter(isDependency).length).toBeGreaterThan(100);
  });

  it('maps every position of our code to the file and line the full map does, and no dependency position to our files', () => {
    const mapped = new SourceMap(deployed.map);
    const reference = new SourceMap(full.map);
    const lines = readFileSync(deployed.js, 'utf8').split('\n');
    const wrong: string[] = [];
    lines.forEach((line, l) => {
      for (let c = 0; c < line.length; c += 37) {
        const want = reference.findEntry(l, c);
        const got = mapped.findEntry(l, c);
        checked.positions += 1;
        const wantSource = sourceOf(want);
        const own = wantSource !== undefined && !isDependency(wantSource);
        if (own) {
          checked.ownPositions += 1;
          if (sourceOf(got) !== wantSource || lineOf(got) !== lineOf(want))
            wrong.push(`${l}:${c} ${JSON.stringify(want)} -> ${JSON.stringify(got)}`);
        } else if (sourceOf(got) !== undefined) {
          wrong.push(`${l}:${c} dependency code mapped to ${sourceOf(got)}`);
        }
      }
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(checked.ownPositions).toBeGreaterThan(100);
  });

  it('is at line level: no two segments in a row at the same file and line, and no names', () => {
    const place = (s: number[]) => (s.length === 1 ? 'unmapped' : `${s[1]}:${s[2]}`);
    const repeats: string[] = [];
    decode(deployed.map.mappings).forEach((segments, l) => {
      checked.deployedSegments += segments.length;
      segments.forEach((s, i) => {
        if (i > 0 && place(s) === place(segments[i - 1]!)) repeats.push(`${l}:${s[0]} ${place(s)}`);
      });
    });
    for (const segments of decode(full.map.mappings))
      checked.fullOwnSegments += segments.filter(
        (s) => s.length > 1 && !isDependency(full.map.sources[s[1]!]!),
      ).length;
    expect(repeats.slice(0, 5)).toEqual([]);
    expect(deployed.map.names).toEqual([]);
    // esbuild maps each token; a line of ours holds several
    expect(checked.deployedSegments).toBeLessThan(checked.fullOwnSegments / 2);
  });

  it('turns an error thrown in lib/ into stack frames named as in the source, at their file and line, under --enable-source-maps', async () => {
    // Act: a valid direct invoke with no configuration fails in loadConfig (lib/config.ts), called by
    // getParameterStore (lib/parameter-store.ts). (Input it can never accept is answered, not thrown: it has
    // no stack to look at.)
    const event = readFileSync(path.join(ROOT, 'examples', 'shipped.json'), 'utf8');
    const probe = `require(${JSON.stringify(deployed.js)}).handler(${event}, { getRemainingTimeInMillis: () => 1000 }).catch((e) => process.stdout.write(e.stack))`;
    const { stdout } = await run(process.execPath, ['--enable-source-maps', '-e', probe], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'ap-southeast-1' },
    });

    // Assess: each frame names its function, and its line in its file is where that function throws or calls
    const lineAt = (frame: RegExpExecArray | null): string => {
      expect(frame).not.toBeNull();
      return readFileSync(path.join(ROOT, frame![1]!), 'utf8').split('\n')[Number(frame![2]) - 1] ?? '';
    };
    expect(lineAt(/at loadConfig \(\S*?(lib\/config\.ts):(\d+)/.exec(stdout))).toContain(
      'throw new ConfigError',
    );
    expect(lineAt(/at getParameterStore \(\S*?(lib\/parameter-store\.ts):(\d+)/.exec(stdout))).toContain(
      'loadConfig(',
    );
    expect(lineAt(/at \S+ \(\S*?(lib\/http\/merchant\.ts):(\d+)/.exec(stdout))).toContain(
      'parseMerchantEvent(',
    );
  });
});
