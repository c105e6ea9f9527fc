import type { BuildOptions, Plugin } from 'esbuild';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

/** The parts of serverless.yml the bench reads: how functions are bundled and the environment they run with. */
interface ServerlessYml {
  provider: { environment?: Record<string, unknown> };
  functions: Record<string, { handler: string; events?: { httpApi?: { method: string; path: string } }[] }>;
  custom: { esbuild: Record<string, unknown> };
}

/** serverless-esbuild's own settings: it removes them before handing the rest to esbuild. */
const PLUGIN_ONLY_KEYS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'plugins',
];

export class DeployConfigError extends Error {
  override readonly name = 'DeployConfigError';
}

export function readServerlessYml(file = path.join(ROOT, 'serverless.yml')): ServerlessYml {
  // serverless.yml uses no YAML tags (CloudFormation functions are in their long form), so the default schema reads it.
  const doc = load(readFileSync(file, 'utf8')) as Partial<ServerlessYml> | undefined;
  if (!doc?.custom?.esbuild || !doc.functions || !doc.provider) {
    throw new DeployConfigError(`${file}: provider, functions and custom.esbuild are required`);
  }
  return doc as ServerlessYml;
}

function toStrings(value: unknown, key: string): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new DeployConfigError(`custom.esbuild.${key} must be a list of strings`);
}

/** The plugins custom.esbuild.plugins names, loaded as serverless-esbuild loads them. */
function loadPlugins(setting: unknown): Plugin[] {
  if (setting === undefined) return [];
  if (typeof setting !== 'string') throw new DeployConfigError('custom.esbuild.plugins must be a file path');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file is CommonJS, loaded at run time
  const loaded: unknown = require(path.join(ROOT, setting));
  const plugins = typeof loaded === 'function' ? (loaded as (sls: unknown) => unknown)(undefined) : loaded;
  if (!Array.isArray(plugins))
    throw new DeployConfigError(`${setting} must export plugins or a function of them`);
  return plugins as Plugin[];
}

/**
 * The esbuild options serverless-esbuild derives from custom.esbuild, so that what the bench builds is bundled
 * exactly as the deploy is: the plugin's own keys dropped, `exclude` turned into `external`, plugins loaded.
 */
export function deployBuildOptions(yml = readServerlessYml()): BuildOptions {
  const settings = yml.custom.esbuild;
  const options = Object.fromEntries(
    Object.entries(settings).filter(([key]) => !PLUGIN_ONLY_KEYS.includes(key)),
  ) as BuildOptions;
  const exclude = toStrings(settings.exclude, 'exclude');
  return {
    ...options,
    external: [...toStrings(settings.external, 'external'), ...(exclude.includes('*') ? [] : exclude)],
    plugins: loadPlugins(settings.plugins),
  };
}

/** Function name -> entry file (`functions/shipped.handler` -> functions/shipped.ts). */
export function functionEntries(yml = readServerlessYml()): Record<string, string> {
  return Object.fromEntries(
    Object.entries(yml.functions).map(([name, fn]) => [name, `${fn.handler.replace(/\.[^.]+$/, '')}.ts`]),
  );
}

/** NODE_OPTIONS the functions run with (provider.environment), or '' when none is set. */
export function deployedNodeOptions(yml = readServerlessYml()): string {
  const value = yml.provider.environment?.NODE_OPTIONS;
  return typeof value === 'string' ? value : '';
}

/** HTTP route key (`POST /events/shipped`) -> the function that serves it. */
export function httpRoutes(yml = readServerlessYml()): Record<string, string> {
  return Object.fromEntries(
    Object.entries(yml.functions).flatMap(([name, fn]) =>
      (fn.events ?? []).flatMap((event) =>
        event.httpApi ? [[`${event.httpApi.method.toUpperCase()} ${event.httpApi.path}`, name]] : [],
      ),
    ),
  );
}
