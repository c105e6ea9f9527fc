import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import type { LifecycleTriggers } from '../../lib/http';
import type { EventService, ServiceSource } from '../../lib/service';
import { triggers as orderClosed } from '../../functions/orderClosed';
import { triggers as orderCompleted } from '../../functions/orderCompleted';
import { triggers as orderPlaced } from '../../functions/orderPlaced';
import { triggers as paymentSucceeded } from '../../functions/paymentSucceeded';
import { triggers as refundRequested } from '../../functions/refundRequested';
import { triggers as refundUpdated } from '../../functions/refundUpdated';
import { triggers as shipped } from '../../functions/shipped';

interface FunctionDeclaration {
  handler: string;
  role?: string;
  timeout?: number;
  events?: { httpApi?: { method: string; path: string }; schedule?: { rate: string; enabled?: unknown } }[];
}

interface ServerlessYml {
  service: string;
  plugins: string[];
  provider: {
    runtime: string;
    architecture: string;
    environment: Record<string, string>;
    iam?: unknown;
  };
  package: { individually: boolean };
  functions: Record<string, FunctionDeclaration>;
  custom: { esbuild: Record<string, unknown> };
}

const ROOT = path.resolve(__dirname, '../..');
const yml = load(readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8')) as ServerlessYml;

const HTTP_FUNCTIONS: Record<string, (service: ServiceSource<EventService>) => LifecycleTriggers> = {
  paymentSucceeded,
  shipped,
  refundRequested,
  orderPlaced,
  orderCompleted,
  orderClosed,
  refundUpdated,
};

describe('serverless.yml', () => {
  it('declares every function file, and only those', () => {
    const files = readdirSync(path.join(ROOT, 'functions'))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.replace(/\.ts$/, ''));
    expect(Object.keys(yml.functions).sort()).toEqual(files.sort());
    for (const name of files) expect(yml.functions[name]!.handler).toBe(`functions/${name}.handler`);
  });

  it.each(Object.entries(HTTP_FUNCTIONS))(
    'routes to %s exactly what the function serves',
    (name, triggers) => {
      // a route table is built without its service; no request is handled here
      const { routes } = triggers(() => {
        throw new Error('no request is handled');
      });
      const declared = (yml.functions[name]!.events ?? []).flatMap((event) =>
        event.httpApi ? [`${event.httpApi.method} ${event.httpApi.path}`] : [],
      );
      expect(declared.sort()).toEqual(Object.keys(routes).sort());
    },
  );

  it.each([
    ['reconcile', '${self:custom.reconcile.schedule}', 300],
    ['rotateToken', 'rate(1 day)', 30],
  ])('runs %s on its schedule (%s) with a timeout of %i s', (name, rate, timeout) => {
    const fn = yml.functions[name]!;
    expect(fn.timeout).toBe(timeout);
    expect(fn.events?.map((event) => event.schedule?.rate)).toEqual([rate]);
  });

  it('runs the shard workers as a function of their own, started by reconcile, not on a schedule', () => {
    const worker = yml.functions.reconcileWorker!;
    expect(worker.timeout).toBe(300);
    expect(worker.events ?? []).toEqual([]);
    expect(yml.provider.environment.RECONCILE_WORKER_FUNCTION).toBe(
      '${self:service}-${sls:stage}-reconcileWorker',
    );
  });

  it('sets the environment of docs/contract.md section 7', () => {
    expect(Object.keys(yml.provider.environment)).toEqual(
      expect.arrayContaining([
        'ORDER_CENTER_BASE_URL',
        'BAIDU_APP_KEY',
        'ACCESS_TOKEN_PARAM',
        'APP_SECRET_PARAM',
        'WEBHOOK_SECRET_PARAM',
        'CASHIER_PUBLIC_KEY_PARAM',
        'CASHIER_APP_KEY',
        'LEDGER_TABLE',
        'SYNC_SHARDS',
        'BAIDU_MAX_QPS',
        'RECONCILE_CONCURRENCY',
        'RECONCILE_BATCH_SIZE',
        'RECONCILE_WORKER_FUNCTION',
      ]),
    );
    expect(JSON.stringify(yml.provider.environment)).not.toMatch(/\$\{ssm:/);
  });

  // Who may touch what is checked on the compiled template (template.test.ts): roles are per function.
  it('gives every function a role of its own, and the provider none', () => {
    expect(yml.provider.iam).toBeUndefined();
    for (const [name, fn] of Object.entries(yml.functions))
      expect(fn.role).toBe(`${name[0]!.toUpperCase()}${name.slice(1)}Role`);
  });

  it('packages each function on its own, bundled by serverless-esbuild with nothing external', () => {
    expect(yml.package.individually).toBe(true);
    expect(yml.plugins.indexOf('serverless-esbuild')).toBeLessThan(yml.plugins.indexOf('serverless-offline'));
    expect(yml.provider).toMatchObject({ runtime: 'nodejs22.x', architecture: 'arm64' });
    expect(yml.custom.esbuild).toMatchObject({
      bundle: true,
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      target: 'node22',
      platform: 'node',
      exclude: [],
    });
  });
});
