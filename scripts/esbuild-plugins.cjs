/**
 * esbuild plugins of the deploy bundles (serverless.yml custom.esbuild.plugins; serverless-esbuild calls
 * this module's export with the serverless instance).
 *
 * ownCodeSourceMaps: a bundle's source map keeps the mappings of this repository's code (functions/,
 * lib/) and drops those of node_modules. Our code is ~10% of a bundle but the full map was ~60% of each
 * zip (225 KB of ~400 KB compressed): with it no zip fits in 300 KB, and Node parses the whole map at
 * load under --enable-source-maps. Frames in our code still resolve to file:line; a frame inside a
 * dependency shows its bundle position and keeps its name (keepNames).
 */
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
// Decoded, mappings are lines of segments with absolute values: [column] or
// [column, source, line, sourceColumn] or [column, source, line, sourceColumn, name].
const { decode, encode } = require('@jridgewell/sourcemap-codec');

const isDependency = (source) => /(^|[/\\])node_modules[/\\]/.test(source);

/**
 * The map with only the mappings whose source `keep` accepts. Where kept code is followed by dropped
 * code on a line, an unmapped segment ends the kept range, so dependency code never resolves to our
 * files. Sources and names are renumbered to those still used.
 */
function trimSourceMap(map, keep = (source) => !isDependency(source)) {
  const sourceIndex = new Map();
  const nameIndex = new Map();
  const sources = [];
  const names = [];
  const lines = decode(map.mappings).map((segments) => {
    const kept = [];
    let mapped = false;
    for (const segment of segments) {
      if (segment.length > 1 && keep(map.sources[segment[1]])) {
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
        kept.push(next);
        mapped = true;
      } else if (mapped) {
        kept.push([segment[0]]);
        mapped = false;
      }
    }
    return kept;
  });
  const trimmed = { ...map, sources, names, mappings: encode(lines) };
  if (Array.isArray(map.sourcesContent)) {
    trimmed.sourcesContent = [...sourceIndex.keys()].map((i) => map.sourcesContent[i]);
  }
  return trimmed;
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
