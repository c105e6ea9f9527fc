import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';

/**
 * README.md and README.zh-CN.md describe one product: every environment variable, route and npm script
 * one of them names, the other names too, and each exists where it is defined (serverless.yml, the local
 * starter, package.json). A fact changed in one README and not the other fails here, not in a merchant's
 * deploy.
 */

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface ServerlessYml {
  provider: { environment: Record<string, unknown> };
  functions: Record<string, { events?: { httpApi?: { method: string; path: string } }[] }>;
}

const yml = load(read('serverless.yml')) as ServerlessYml;
const scripts = Object.keys(
  (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts,
);

/** Variables read by the local starter and the demo (local/start), not by the deployed functions. */
const LOCAL_SOURCES = ['local/start/options.ts', 'local/start/main.ts'];
/** Variables of the AWS SDK and CLI that the READMEs tell a merchant about; the code never reads them itself. */
const AWS_VARIABLES = /^AWS_(PROFILE|REGION|ENDPOINT_URL_[A-Z]+)$/;

export interface Named {
  variables: Set<string>;
  routes: Set<string>;
  scripts: Set<string>;
}

/** What a README names: `UPPER_CASE` variables in code spans, `POST /path` routes, `npm run x` scripts. */
export function namedIn(text: string): Named {
  const variables = new Set<string>();
  for (const [, code] of text.matchAll(/`([^`\n]+)`/g)) {
    for (const [name] of code!.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) variables.add(name);
  }
  // Variables set in fenced shell blocks (BAIDU_APP_KEY=... npx serverless deploy)
  for (const [, block] of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const [, name] of block!.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)=/g)) variables.add(name!);
  }
  const routes = new Set<string>();
  for (const [, method, route] of text.matchAll(/\b(GET|POST) ((?:\/baidu|\/events)\/[a-z-]+)/g)) {
    routes.add(`${method} ${route}`);
  }
  const used = new Set<string>();
  for (const [, name] of text.matchAll(/\bnpm run ([a-z][a-z:-]*)/g)) used.add(name!);
  for (const [, name] of text.matchAll(/\bnpm (start|test)\b/g)) used.add(name!);
  return { variables, routes, scripts: used };
}

const english = namedIn(read('README.md'));
const chinese = namedIn(read('README.zh-CN.md'));

const deployedVariables = new Set(Object.keys(yml.provider.environment));
const localSource = LOCAL_SOURCES.map(read).join('\n');
const declaredRoutes = new Set(
  Object.values(yml.functions).flatMap((fn) =>
    (fn.events ?? []).flatMap((e) => (e.httpApi ? [`${e.httpApi.method} ${e.httpApi.path}`] : [])),
  ),
);

describe('README.md and README.zh-CN.md', () => {
  it('link to each other at the top', () => {
    expect(read('README.md').split('\n').slice(0, 5).join('\n')).toContain('README.zh-CN.md');
    expect(read('README.zh-CN.md').split('\n').slice(0, 5).join('\n')).toContain('README.md');
  });

  it.each([
    ['variables', 'variables'],
    ['routes', 'routes'],
    ['scripts', 'scripts'],
  ] as const)('name the same %s', (_, kind) => {
    expect([...chinese[kind]].sort()).toEqual([...english[kind]].sort());
  });

  it('name only variables that the service, the local starter or the AWS SDK reads', () => {
    const unknown = [...english.variables, ...chinese.variables].filter(
      (name) =>
        !deployedVariables.has(name) &&
        !AWS_VARIABLES.test(name) &&
        !new RegExp(`\\b${name}\\b`).test(localSource),
    );
    expect(unknown).toEqual([]);
  });

  it('name only routes that serverless.yml declares, and every one of them', () => {
    expect([...english.routes].filter((r) => !declaredRoutes.has(r))).toEqual([]);
    expect([...declaredRoutes].filter((r) => !english.routes.has(r))).toEqual([]);
  });

  it('name only npm scripts that package.json has', () => {
    expect([...english.scripts, ...chinese.scripts].filter((s) => !scripts.includes(s))).toEqual([]);
  });
});

/**
 * docs/contract.md and its Chinese summary, docs/contract.zh-CN.md, by the same rule: the same environment
 * variables and routes, each one real.
 */
describe('docs/contract.md and docs/contract.zh-CN.md', () => {
  // Read in beforeAll: a missing file fails these tests, naming it, not the README checks above.
  let contract: Named;
  let contractZh: Named;
  beforeAll(() => {
    contract = namedIn(read('docs/contract.md'));
    contractZh = namedIn(read('docs/contract.zh-CN.md'));
  });

  it('the summary links to the contract at the top', () => {
    expect(read('docs/contract.zh-CN.md').split('\n').slice(0, 5).join('\n')).toContain('(contract.md)');
  });

  it.each([
    ['variables', 'variables'],
    ['routes', 'routes'],
  ] as const)('name the same %s', (_, kind) => {
    expect([...contractZh[kind]].sort()).toEqual([...contract[kind]].sort());
  });

  it('name only variables the service or the AWS SDK reads, and every route serverless.yml declares', () => {
    // What the contract describes but this release does not build is listed in its own section.
    const notBuilt = /## Not in this release\n([\s\S]*?)\n## /.exec(read('docs/contract.md'))?.[1] ?? '';
    const planned = namedIn(notBuilt).variables;
    expect(
      [...contract.variables].filter(
        (name) => !deployedVariables.has(name) && !AWS_VARIABLES.test(name) && !planned.has(name),
      ),
    ).toEqual([]);
    expect([...contract.routes].sort()).toEqual([...declaredRoutes].sort());
  });
});

describe('what the drift check reads from a README', () => {
  it.each([
    ['`BAIDU_APP_KEY`', 'variables', 'BAIDU_APP_KEY'],
    ['```sh\nCASHIER_APP_KEY=x npx serverless deploy\n```', 'variables', 'CASHIER_APP_KEY'],
    ['curl -X POST http://127.0.0.1:3000/events/shipped', 'routes', undefined],
    ['| `POST /events/shipped` |', 'routes', 'POST /events/shipped'],
    ['run `npm run demo`', 'scripts', 'demo'],
    ['npm install && npm start', 'scripts', 'start'],
    ['`serverless`', 'variables', undefined],
  ] as const)('%j -> %s %s', (text, kind, expected) => {
    const found = [...namedIn(text)[kind]];
    expect(found).toEqual(expected === undefined ? [] : [expected]);
  });
});
