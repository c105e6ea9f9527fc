import { InvalidInputError, type FieldIssue } from '../../lib/validation';

/** The five listeners of the local service, all on 127.0.0.1. */
export interface ServicePorts {
  /** the local Order Center (its page at GET /) */
  orderCenter: number;
  /** the SSM stand-in */
  ssm: number;
  /** DynamoDB (dynalite) */
  dynamo: number;
  /** serverless-offline's HTTP API: the routes of serverless.yml */
  http: number;
  /** serverless-offline's Lambda Invoke API: direct invokes, e.g. reconcile's operator commands */
  lambda: number;
}

export type PortName = keyof ServicePorts;

export const PORT_NAMES: readonly PortName[] = ['orderCenter', 'ssm', 'dynamo', 'http', 'lambda'];

/** Fixed, so the URLs a merchant bookmarks or scripts stay the same from one `npm start` to the next. */
export const DEFAULT_PORTS: Readonly<ServicePorts> = {
  orderCenter: 4010,
  ssm: 4011,
  dynamo: 4012,
  http: 3000,
  lambda: 3002,
};

/** The environment variable that moves each listener. */
export const PORT_ENV: Readonly<Record<PortName, string>> = {
  orderCenter: 'LOCAL_ORDER_CENTER_PORT',
  ssm: 'LOCAL_SSM_PORT',
  dynamo: 'LOCAL_DYNAMO_PORT',
  http: 'LOCAL_HTTP_PORT',
  lambda: 'LOCAL_LAMBDA_PORT',
};

/** What each listener is, in words a merchant reading an error recognises. */
export const PORT_ROLE: Readonly<Record<PortName, string>> = {
  orderCenter: 'the local Order Center',
  ssm: 'the SSM stand-in',
  dynamo: 'DynamoDB (dynalite)',
  http: 'the HTTP API (serverless-offline)',
  lambda: 'the Lambda invoke endpoint (serverless-offline)',
};

export const RECONCILE_MINUTES_ENV = 'LOCAL_RECONCILE_MINUTES';
export const DEFAULT_RECONCILE_MINUTES = 1;
/** 1: show all of serverless-offline's output (its banner, REPORT lines, metrics, INFO logs); default 0. */
export const VERBOSE_ENV = 'LOCAL_VERBOSE';

export interface StartOptions {
  ports: ServicePorts;
  /** how often serverless-offline runs reconcile on its schedule */
  reconcileEveryMinutes: number;
  /** all of serverless-offline's output, instead of one line per request, per reconcile run, per warning */
  verbose: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** An integer in [min, max] from the environment, the fallback when unset, or an issue naming the variable. */
function integerFromEnv(
  env: Env,
  name: string,
  fallback: number,
  [min, max]: readonly [number, number],
  issues: FieldIssue[],
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    issues.push({
      path: name,
      message: `must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    });
    return fallback;
  }
  return value;
}

/**
 * `npm start`'s settings: the ports (LOCAL_*_PORT), the reconcile schedule (LOCAL_RECONCILE_MINUTES) and
 * how much of serverless-offline's output to show (LOCAL_VERBOSE).
 * Throws InvalidInputError naming every variable that is wrong, and ports given twice.
 */
export function startOptionsFromEnv(env: Env): StartOptions {
  const issues: FieldIssue[] = [];
  const ports = Object.fromEntries(
    PORT_NAMES.map((name) => [
      name,
      integerFromEnv(env, PORT_ENV[name], DEFAULT_PORTS[name], [1, 65535], issues),
    ]),
  ) as unknown as ServicePorts;
  const byPort = new Map<number, PortName>();
  const misread = new Set(issues.map((issue) => issue.path));
  for (const name of PORT_NAMES) {
    // A port that could not be read already has its issue; its fallback would only add a confusing one.
    if (misread.has(PORT_ENV[name])) continue;
    const other = byPort.get(ports[name]);
    if (other !== undefined) {
      issues.push({
        path: PORT_ENV[name],
        message: `port ${ports[name]} is already taken by ${PORT_ROLE[other]} (${PORT_ENV[other]}); choose another`,
      });
    }
    byPort.set(ports[name], name);
  }
  // The schedule becomes the cron `*/N * * * *`, which only means "every N minutes" below 60.
  const reconcileEveryMinutes = integerFromEnv(
    env,
    RECONCILE_MINUTES_ENV,
    DEFAULT_RECONCILE_MINUTES,
    [1, 59],
    issues,
  );
  const verbose = integerFromEnv(env, VERBOSE_ENV, 0, [0, 1], issues) === 1;
  if (issues.length > 0) throw new InvalidInputError(issues, 'invalid settings');
  return { ports, reconcileEveryMinutes, verbose };
}

/** serverless.yml's `rate(...)` for a number of minutes, singular when it is one. */
export function reconcileRate(minutes: number): string {
  return `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}
