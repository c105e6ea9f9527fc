import { decode, encode, type SourceMapLine } from '@jridgewell/sourcemap-codec';
import fc from 'fast-check';
import { SourceMap, type SourceMapPayload } from 'node:module';

/**
 * The deploy bundles' source maps (scripts/esbuild-plugins.cjs): our code's mappings only, one segment per
 * original line where a token-level map had many. A stack frame reads file:line; these pin that every
 * generated position still resolves to the file and line it did, and that dependency code never does.
 */
interface Plugins {
  ownCodeSegments(lines: SourceMapLine[], sources: string[]): SourceMapLine[];
  lineLevelSegments(lines: SourceMapLine[]): SourceMapLine[];
  trimSourceMap(map: SourceMapPayload): SourceMapPayload;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the plugin file is CommonJS, loaded as serverless-esbuild loads it
const plugins = require('../../scripts/esbuild-plugins.cjs') as Plugins;

// Segments: [column] (unmapped) or [column, source, line, sourceColumn(, name)].
const SOURCES = ['lib/a.ts', 'node_modules/dep/index.js', 'functions/f.ts'];

describe('lineLevelSegments: unnamed, a segment where the original file or line changes, and the first of each line', () => {
  it.each<[string, SourceMapLine[], SourceMapLine[]]>([
    [
      'tokens of one original line: the first',
      [
        [
          [0, 0, 5, 2],
          [4, 0, 5, 6],
          [9, 0, 5, 10],
        ],
      ],
      [[[0, 0, 5, 2]]],
    ],
    [
      'a new original line within a generated line',
      [
        [
          [0, 0, 5, 2],
          [4, 0, 5, 6],
          [8, 0, 6, 0],
          [12, 0, 6, 4],
        ],
      ],
      [
        [
          [0, 0, 5, 2],
          [8, 0, 6, 0],
        ],
      ],
    ],
    [
      'the same line number in another file',
      [
        [
          [0, 0, 5, 0],
          [3, 2, 5, 0],
        ],
      ],
      [
        [
          [0, 0, 5, 0],
          [3, 2, 5, 0],
        ],
      ],
    ],
    [
      'back to an earlier line',
      [
        [
          [0, 0, 1, 0],
          [2, 0, 2, 0],
          [4, 0, 1, 5],
        ],
      ],
      [
        [
          [0, 0, 1, 0],
          [2, 0, 2, 0],
          [4, 0, 1, 5],
        ],
      ],
    ],
    // keepNames names the frames; a name at line level would often be a wrong one (the plugin says why)
    [
      'names go, kept or dropped',
      [
        [
          [0, 0, 5, 2, 7],
          [3, 0, 5, 9, 8],
          [6, 0, 6, 0, 9],
        ],
      ],
      [
        [
          [0, 0, 5, 2],
          [6, 0, 6, 0],
        ],
      ],
    ],
    [
      'an unmapped segment ends a range; the same line after it starts one again',
      [[[0, 0, 5, 0], [6], [9], [12, 0, 5, 3]]],
      [[[0, 0, 5, 0], [6], [12, 0, 5, 3]]],
    ],
    [
      'each generated line keeps its first segment, even at the place the line above ended',
      [
        [[0, 0, 5, 0]],
        [
          [0, 0, 5, 4],
          [5, 0, 5, 8],
        ],
      ],
      [[[0, 0, 5, 0]], [[0, 0, 5, 4]]],
    ],
    ['empty lines stay empty', [[], [[2, 0, 1, 0]], []], [[], [[2, 0, 1, 0]], []]],
  ])('%s', (_what, given, expected) => {
    expect(plugins.lineLevelSegments(given)).toEqual(expected);
  });
});

describe('ownCodeSegments: our files only, each range of ours ended where dependency code starts', () => {
  it.each<[string, SourceMapLine[], SourceMapLine[]]>([
    [
      'dependency segments dropped, our range ended where they start',
      [
        [
          [0, 0, 1, 0],
          [5, 1, 3, 0],
          [9, 1, 3, 4],
          [12, 2, 0, 0],
        ],
      ],
      [[[0, 0, 1, 0], [5], [12, 2, 0, 0]]],
    ],
    [
      'a line starting with dependency code after ours ended the line above',
      [
        [[0, 0, 1, 0]],
        [
          [0, 1, 3, 0],
          [4, 0, 2, 0],
        ],
      ],
      [[[0, 0, 1, 0]], [[0], [4, 0, 2, 0]]],
    ],
    [
      'dependency code before any of ours: nothing to end',
      [
        [
          [0, 1, 0, 0],
          [3, 0, 1, 0],
        ],
      ],
      [[[3, 0, 1, 0]]],
    ],
    [
      'an unmapped segment after ours ends it too',
      [[[0, 0, 1, 0], [4], [6, 1, 0, 0]]],
      [[[0, 0, 1, 0], [4]]],
    ],
  ])('%s', (_what, given, expected) => {
    expect(plugins.ownCodeSegments(given, SOURCES)).toEqual(expected);
  });
});

describe('trimSourceMap', () => {
  it('renumbers the sources still used, in order of first use, and keeps no names', () => {
    const map: SourceMapPayload = {
      version: 3,
      file: 'f.js',
      sourceRoot: '',
      sources: SOURCES,
      sourcesContent: SOURCES.map((source) => `// ${source}`),
      names: ['unused', 'dep', 'handler', 'inner'],
      mappings: encode([
        [
          [0, 1, 0, 0, 1],
          [4, 2, 3, 0, 2],
          [9, 2, 3, 4, 3],
          [12, 0, 7, 0],
        ],
      ]),
    };
    expect(plugins.trimSourceMap(map)).toEqual({
      ...map,
      sources: ['functions/f.ts', 'lib/a.ts'],
      sourcesContent: ['// functions/f.ts', '// lib/a.ts'],
      names: [],
      mappings: encode([
        [
          [4, 0, 3, 0],
          [12, 1, 7, 0],
        ],
      ]),
    });
  });

  it('leaves dependency code that ends the bundle unmapped for Node, which misreads an unmapped last segment', () => {
    const map: SourceMapPayload = {
      version: 3,
      file: 'f.js',
      sourceRoot: '',
      sources: SOURCES,
      sourcesContent: [],
      names: [],
      mappings: encode([
        [
          [0, 0, 7, 0],
          [9, 1, 2, 0],
        ],
      ]),
    };
    const trimmed = plugins.trimSourceMap(map);
    expect(decode(trimmed.mappings)).toEqual([[[0, 0, 7, 0], [9]], []]);
    expect(frameAt(new SourceMap(trimmed), 0, 12)).toBe('unmapped');
  });

  /** What a stack frame shows of a lookup, by Node's own lookup (the one --enable-source-maps uses). */
  const frameAt = (map: SourceMap, line: number, column: number): string => {
    const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
    return entry.originalSource === undefined ? 'unmapped' : `${entry.originalSource}:${entry.originalLine}`;
  };

  /** The same by a lookup that stays within the generated line, as the source-map library's does. */
  const frameOnLine = (map: SourceMapPayload, line: number, column: number): string => {
    const segment = decode(map.mappings)[line]?.findLast((s) => s[0] <= column);
    return segment === undefined || segment.length === 1
      ? 'unmapped'
      : `${map.sources[segment[1]]}:${segment[2]}`;
  };

  it('maps every generated position to the file and line the full map does for our code, and to nothing for dependency code', () => {
    // esbuild writes one segment per column at most: columns strictly increase along a line.
    const segment = fc.tuple(
      fc.integer({ min: 1, max: 6 }),
      fc.option(
        fc.tuple(fc.nat(SOURCES.length - 1), fc.nat(4), fc.nat(30), fc.option(fc.nat(3), { nil: undefined })),
        {
          nil: undefined,
          freq: 5,
        },
      ),
    );
    // Ends with an empty line, as esbuild's maps do: Node misreads a map whose last segment is unmapped
    // (see withSegments), and the full map must be read right to be the reference.
    const lines = fc.array(fc.array(segment, { maxLength: 12 }), { minLength: 1, maxLength: 4 }).map((raw) =>
      [...raw, []].map((line) => {
        let column = 0;
        return line.map(([step, mapped]): SourceMapLine[number] => {
          column += step;
          if (!mapped) return [column];
          const [source, original, sourceColumn, name] = mapped;
          return name === undefined
            ? [column, source, original, sourceColumn]
            : [column, source, original, sourceColumn, name];
        });
      }),
    );
    fc.assert(
      fc.property(lines, (decoded) => {
        const full: SourceMapPayload = {
          version: 3,
          file: 'f.js',
          sourceRoot: '',
          sources: SOURCES,
          sourcesContent: [],
          names: ['a', 'b', 'c', 'd'],
          mappings: encode(decoded),
        };
        const trimmed = plugins.trimSourceMap(full);
        const before = new SourceMap(full);
        const after = new SourceMap(trimmed);
        decoded.forEach((line, l) => {
          const width = (line.at(-1)?.[0] ?? 0) + 3;
          for (let c = 0; c < width; c++) {
            const ours = (frame: string) => (frame.startsWith('node_modules/') ? 'unmapped' : frame);
            expect(frameAt(after, l, c)).toBe(ours(frameAt(before, l, c)));
            expect(frameOnLine(trimmed, l, c)).toBe(ours(frameOnLine(full, l, c)));
          }
        });
      }),
      { numRuns: 500 },
    );
  });
});
