/**
 * esbuild plugins of the deploy bundles (serverless.yml custom.esbuild.plugins; serverless-esbuild calls
 * this module's export with the serverless instance).
 *
 * ownCodeSourceMaps: a bundle's source map keeps the mappings of this repository's code (functions/,
 * lib/) and drops those of node_modules, then keeps of ours only what a stack trace reads: the file and
 * line (lineLevelSegments). The full map was ~60% of each zip (225 KB of ~400 KB compressed); the own-code
 * map was still ~44 KB of an event function's zip (deflated), ~20,000 token segments of which a stack
 * trace reads one per original line: at line level it is ~10 KB. Frames in our code resolve to
 * file:line; a frame inside a dependency shows its bundle position; both keep their names (keepNames).
 */
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
// Decoded, mappings are lines of segments with absolute values: [column] or
// [column, source, line, sourceColumn] or [column, source, line, sourceColumn, name].
const { decode, encode } = require('@jridgewell/sourcemap-codec');

const isDependency = (source) => /(^|[/\\])node_modules[/\\]/.test(source);

/**
 * The segments whose source `keep` accepts. Where kept code is followed by dropped code, an unmapped
 * segment ends the kept range, so dependency code never resolves to our files. That holds across
 * generated lines too: Node's lookup (node:module SourceMap.findEntry) takes the last segment at or
 * before a position even when it is on an earlier line, so a line that starts with dropped code after
 * kept code on the line above starts with an unmapped segment.
 */
function ownCodeSegments(lines, sources, keep = (source) => !isDependency(source)) {
  let mapped = false;
  return lines.map((segments) => {
    const kept = [];
    for (const segment of segments) {
      if (segment.length > 1 && keep(sources[segment[1]])) {
        kept.push(segment);
        mapped = true;
      } else if (mapped) {
        kept.push([segment[0]]);
        mapped = false;
      }
    }
    return kept;
  });
}

/** What a stack frame reads of a segment: its original file and line, or nothing for an unmapped one. */
const place = (segment) => (segment.length === 1 ? 'unmapped' : `${segment[1]}:${segment[2]}`);

/**
 * Line-level mappings: per generated line, the first segment and every segment whose place (original
 * source and line, or unmapped) differs from the segment just before it, without names. esbuild writes a
 * segment per token; a stack trace needs file:line.
 *
 * Why every generated position still resolves to the same original file and line as with the segments
 * given: a lookup of position p takes the last segment at or before p, say s. Under the result it takes
 * the last kept segment at or before p, say k. k is s itself or comes before s on the same generated line
 * (the first segment of each line is kept), and every segment after k up to s was dropped, so each had
 * the place of the one before it: s has k's place. Positions before a line's first segment resolve, in
 * both, to nothing (lookups within a line, as the source-map library does) or to the last segment of an
 * earlier line (Node's lookup), which by the same argument has the place of the last kept one there.
 * Only the original column of a lookup changes: it is that of the run's first token, where a frame's was its own.
 *
 * Names go: keepNames already gives V8 each function's own name, which a frame shows when the map has
 * none. Node prefers the map's name at the function's start (getOriginalSymbolName), and at line level
 * that lookup lands on whatever token began the line: frames named functions they were not in
 * ("at intakeWithinBudget (lib/service.ts:139)"). Without names they read "at getParameterStore (...)".
 */
function lineLevelSegments(lines) {
  return lines.map((segments) => {
    const kept = [];
    let before;
    for (const segment of segments) {
      const here = place(segment);
      if (kept.length === 0 || here !== before) kept.push(segment.slice(0, 4));
      before = here;
    }
    return kept;
  });
}

/** The map with these decoded lines; sources (and their contents) and names renumbered to those used. */
function withSegments(map, lines) {
  const sourceIndex = new Map();
  const nameIndex = new Map();
  const sources = [];
  const names = [];
  const renumbered = lines.map((segments) =>
    segments.map((segment) => {
      if (segment.length === 1) return [segment[0]];
      if (!sourceIndex.has(segment[1])) {
        sourceIndex.set(segment[1], sources.length);
        sources.push(map.sources[segment[1]]);
      }
      const next = [segment[0], sourceIndex.get(segment[1]), segment[2], segment[3]];
      if (segment.length === 5) {
        if (!nameIndex.has(segment[4])) {
          nameIndex.set(segment[4], names.length);
          names.push(map.names[segment[4]]);
        }
        next.push(nameIndex.get(segment[4]));
      }
      return next;
    }),
  );
  // Node's parser (node:module SourceMap) reads a one-field segment that ends the whole mappings string
  // as if it continued the segment before it: an empty line after it keeps it unmapped.
  if (renumbered.at(-1)?.at(-1)?.length === 1) renumbered.push([]);
  const trimmed = { ...map, sources, names, mappings: encode(renumbered) };
  if (Array.isArray(map.sourcesContent)) {
    trimmed.sourcesContent = [...sourceIndex.keys()].map((i) => map.sourcesContent[i]);
  }
  return trimmed;
}

/** The deployed map: our code's mappings only (ownCodeSegments), at line level (lineLevelSegments). */
function trimSourceMap(map, keep) {
  return withSegments(map, lineLevelSegments(ownCodeSegments(decode(map.mappings), map.sources, keep)));
}

/** Rewrites each written .map of the build with trimSourceMap. */
function ownCodeSourceMaps() {
  return {
    name: 'own-code-source-maps',
    setup(build) {
      if (!build.initialOptions.sourcemap) return;
      // The output paths come from the metafile; asking for it changes nothing else in the build.
      build.initialOptions.metafile = true;
      build.onEnd((result) => {
        if (result.errors.length > 0 || !result.metafile) return;
        const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
        for (const output of Object.keys(result.metafile.outputs)) {
          if (!output.endsWith('.map')) continue;
          const file = path.resolve(cwd, output);
          const map = JSON.parse(readFileSync(file, 'utf8'));
          writeFileSync(file, JSON.stringify(trimSourceMap(map)));
        }
      });
    },
  };
}

module.exports = () => [ownCodeSourceMaps()];
module.exports.ownCodeSourceMaps = ownCodeSourceMaps;
module.exports.trimSourceMap = trimSourceMap;
module.exports.ownCodeSegments = ownCodeSegments;
module.exports.lineLevelSegments = lineLevelSegments;
module.exports.withSegments = withSegments;
