import { startLocalStack, type LocalStack } from '../stack';
import { startInvokeGuard, type InvokeGuard } from './invoke-guard';
import { startOffline, type OfflineProcess } from './offline';
import { reconcileRate, type ServicePorts } from './options';
import { asPortInUse, assertPortsFree, freePorts } from './ports';
import { lambdaFunctionName, loadServiceDeclaration, type ServiceDeclaration } from './routes';

export const LOCAL_STAGE = 'local';
export const LOCAL_HOST = '127.0.0.1';

export interface LocalServiceOptions {
  /** fixed ports (npm start); a missing or 0 one is a free port (the demo) */
  ports?: Partial<ServicePorts>;
  /** minutes between the scheduled reconciles; false: reconcile does not run on its schedule */
  reconcileEveryMinutes?: number | false;
  /** serverless-offline's own output, as it comes */
  onOutput?: (chunk: string) => void;
  readyTimeoutMs?: number;
  /**
   * serverless-esbuild's work folder: its own per kind of run, so `npm run package` (which deletes
   * `.esbuild/` when done) cannot pull the bundles from under a running `npm start`. Default `.esbuild-local`.
   */
  workFolder?: string;
}

export interface LocalServiceUrls {
  /** the local Order Center: its page at /, the orders as JSON at /orders */
  orderCenter: string;
  /** the HTTP API base: the routes of serverless.yml under it */
  httpApi: string;
  /** the Lambda Invoke API base (POST /2015-03-31/functions/<name>/invocations) */
  lambda: string;
  ssm: string;
  dynamo: string;
}

/** The whole service on 127.0.0.1: the stand-ins in this process, serverless-offline in its own. */
export interface LocalService {
  stack: LocalStack;
  offline: OfflineProcess;
  declaration: ServiceDeclaration;
  ports: ServicePorts;
  urls: LocalServiceUrls;
  /** the Lambda name of a serverless.yml function, as the invoke endpoint knows it */
  functionName(fn: string): string;
  /** A synchronous invoke through serverless-offline's Lambda endpoint; resolves with what the handler returned. */
  invoke(fn: string, event: unknown): Promise<unknown>;
  /** stops serverless-offline, then the stand-ins */
  stop(): Promise<void>;
}

/** A direct invoke that did not return: the function threw, or the endpoint refused it. */
export class LocalInvokeError extends Error {
  override readonly name = 'LocalInvokeError';
}

const portOf = (url: string): number => Number(new URL(url).port);

const DEFAULT_WORK_FOLDER = '.esbuild-local';

/** The serverless.yml params that point the functions at the stack; provider.environment reads them. */
export function offlineParams(
  stack: LocalStack,
  reconcileEveryMinutes: number | false,
  workFolder = DEFAULT_WORK_FOLDER,
): Record<string, string> {
  const schedule: Record<string, string> =
    reconcileEveryMinutes === false
      ? { reconcileEnabled: 'false' }
      : { reconcileSchedule: reconcileRate(reconcileEveryMinutes) };
  return {
    orderCenterBaseUrl: stack.env.ORDER_CENTER_BASE_URL as string,
    baiduAppKey: stack.appKey,
    cashierAppKey: stack.env.CASHIER_APP_KEY as string,
    esbuildWorkFolder: workFolder,
    ...schedule,
  };
}

/**
 * Starts the stand-ins (startLocalStack: dynalite with the ledger table, SSM seeded with fresh local
 * secrets, the local Order Center), then `serverless offline --stage local` pointed at them. Fixed ports
 * are checked first, so a taken one fails at once with PortInUseError. Anything started is stopped again
 * when a later step fails.
 */
export async function startLocalService(options: LocalServiceOptions = {}): Promise<LocalService> {
  const wanted: ServicePorts = {
    orderCenter: 0,
    ssm: 0,
    dynamo: 0,
    http: 0,
    lambda: 0,
    ...options.ports,
  };
  await assertPortsFree(wanted, LOCAL_HOST);
  const declaration = loadServiceDeclaration();
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      stage: LOCAL_STAGE,
      ports: { orderCenter: wanted.orderCenter, ssm: wanted.ssm, dynamo: wanted.dynamo },
    });
  } catch (err) {
    throw asPortInUse(err, wanted);
  }
  try {
    const [freeHttp, freeLambda, behindGuard] = await freePorts(3, LOCAL_HOST);
    const ports: ServicePorts = {
      orderCenter: portOf(stack.orderCenter.url),
      ssm: portOf(stack.ssm.url),
      dynamo: portOf(stack.dynamo.endpoint),
      http: wanted.http || (freeHttp as number),
      lambda: wanted.lambda || (freeLambda as number),
    };
    const offline = await startOffline({
      stage: LOCAL_STAGE,
      host: LOCAL_HOST,
      httpPort: ports.http,
      // serverless-offline's own endpoint listens where only the guard (on ports.lambda) talks to it
      lambdaPort: behindGuard as number,
      params: offlineParams(stack, options.reconcileEveryMinutes ?? false, options.workFolder),
      // reconcile's coordinator starts its workers through serverless-offline's own Invoke endpoint
      env: { ...process.env, ...stack.env, AWS_ENDPOINT_URL_LAMBDA: `http://${LOCAL_HOST}:${ports.lambda}` },
      onOutput: options.onOutput,
      readyTimeoutMs: options.readyTimeoutMs,
    });
    let guard: InvokeGuard;
    try {
      guard = await startInvokeGuard({ host: LOCAL_HOST, port: ports.lambda, target: behindGuard as number });
    } catch (err) {
      await offline.stop();
      throw asPortInUse(err, wanted);
    }
    const urls: LocalServiceUrls = {
      orderCenter: stack.orderCenter.url,
      httpApi: `http://${LOCAL_HOST}:${ports.http}`,
      lambda: `http://${LOCAL_HOST}:${ports.lambda}`,
      ssm: stack.ssm.url,
      dynamo: stack.dynamo.endpoint,
    };
    const functionName = (fn: string) => lambdaFunctionName(declaration.service, LOCAL_STAGE, fn);
    let stopping: Promise<void> | undefined;
    return {
      stack,
      offline,
      declaration,
      ports,
      urls,
      functionName,
      invoke: (fn, event) => invokeThroughOffline(urls.lambda, functionName(fn), event),
      stop() {
        stopping ??= guard
          .close()
          .then(() => offline.stop())
          .finally(() => stack.stop());
        return stopping;
      },
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/** POST /2015-03-31/functions/<name>/invocations, as `aws lambda invoke --endpoint-url` would. */
export async function invokeThroughOffline(
  lambdaUrl: string,
  name: string,
  event: unknown,
): Promise<unknown> {
  const res = await fetch(`${lambdaUrl}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  const text = await res.text();
  let payload: unknown = text;
  try {
    payload = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: kept as text for the message.
  }
  const functionError = res.headers.get('x-amz-function-error') ?? res.headers.get('x-amzn-errortype');
  if (res.status !== 200 || functionError) {
    const message =
      typeof payload === 'object' && payload !== null
        ? String(
            (payload as { errorMessage?: unknown; Message?: unknown }).errorMessage ??
              (payload as { Message?: unknown }).Message ??
              text,
          )
        : text;
    throw new LocalInvokeError(
      `invoke ${name}: HTTP ${res.status}${functionError ? ` (${functionError})` : ''}: ${message}`,
    );
  }
  return payload;
}
