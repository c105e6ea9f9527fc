import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { SERVERLESS_YML } from '../dynamo';

/** One HTTP route serverless-offline serves, as serverless.yml declares it. */
export interface HttpRoute {
  method: string;
  path: string;
  /** the function (serverless.yml key) behind it */
  fn: string;
}

/** What the starter needs from serverless.yml: the service name, the functions, their HTTP routes. */
export interface ServiceDeclaration {
  service: string;
  functions: string[];
  routes: HttpRoute[];
}

interface Declared {
  service?: unknown;
  functions?: Record<string, { events?: { httpApi?: { method?: unknown; path?: unknown } }[] } | null>;
}

/** Reads the parsed serverless.yml document; throws naming what is missing. */
export function serviceDeclaration(doc: unknown): ServiceDeclaration {
  const { service, functions } = (doc ?? {}) as Declared;
  if (typeof service !== 'string' || service === '') throw new Error('serverless.yml: service is missing');
  if (!functions || typeof functions !== 'object') throw new Error('serverless.yml: functions is missing');
  const routes = Object.entries(functions).flatMap(([fn, declaration]) =>
    (declaration?.events ?? []).flatMap(({ httpApi }) =>
      typeof httpApi?.method === 'string' && typeof httpApi.path === 'string'
        ? [{ method: httpApi.method.toUpperCase(), path: httpApi.path, fn }]
        : [],
    ),
  );
  return { service, functions: Object.keys(functions), routes };
}

/** serverless.yml as the starter reads it. */
export function loadServiceDeclaration(file = SERVERLESS_YML): ServiceDeclaration {
  return serviceDeclaration(load(readFileSync(file, 'utf8')));
}

/** The deployed (and offline) Lambda function name: `<service>-<stage>-<function>`. */
export function lambdaFunctionName(service: string, stage: string, fn: string): string {
  return `${service}-${stage}-${fn}`;
}
