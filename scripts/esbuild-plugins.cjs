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

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((char, i) => [char, i]));

/** One Base64 VLQ segment field list: `AAgBC` -> [0, 0, 16, 1]. */
function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = BASE64_VALUE.get(char);
    if (digit === undefined) throw new Error(`source map mappings: "${char}" is not Base64`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function encodeValue(value) {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

/**
 * The mappings as lines of segments with absolute values:
 * [column] or [column, source, line, sourceColumn] or [column, source, line, sourceColumn, name].
 */
function decodeMappings(mappings) {
  let source = 0;
  let line = 0;
  let sourceColumn = 0;
  let name = 0;
  return mappings.split(';').map((text) => {
    let column = 0;
    if (text === '') return [];
    return text.split(',').map((segmentText) => {
      const fields = decodeSegment(segmentText);
      column += fields[0];
      if (fields.length === 1) return [column];
      source += fields[1];
      line += fields[2];
      sourceColumn += fields[3];
      if (fields.length === 4) return [column, source, line, sourceColumn];
      name += fields[4];
      return [column, source, line, sourceColumn, name];
    });
  });
}

function encodeMappings(lines) {
  let source = 0;
  let line = 0;
  let sourceColumn = 0;
  let name = 0;
  return lines
    .map((segments) => {
      let column = 0;
      return segments
        .map((segment) => {
          let text = encodeValue(segment[0] - column);
          column = segment[0];
          if (segment.length === 1) return text;
          text += encodeValue(segment[1] - source) + encodeValue(segment[2] - line);
          text += encodeValue(segment[3] - sourceColumn);
          source = segment[1];
          line = segment[2];
          sourceColumn = segment[3];
          if (segment.length === 5) {
            text += encodeValue(segment[4] - name);
            name = segment[4];
          }
          return text;
        })
        .join(',');
    })
    .join(';');
}

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
  const lines = decodeMappings(map.mappings).map((segments) => {
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
  const trimmed = { ...map, sources, names, mappings: encodeMappings(lines) };
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
module.exports.decodeMappings = decodeMappings;
module.exports.encodeMappings = encodeMappings;
