import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';

/** The namespace of the service's own metrics; serverless.yml's alarms and dashboard read it. */
export const METRICS_NAMESPACE = 'SwanOrderSync';

/** The stage the metrics are published for, as lib/config reads it (STAGE, then SLS_STAGE, else dev). */
export function metricsStage(env: Record<string, string | undefined> = process.env): string {
  return env.STAGE?.trim() || env.SLS_STAGE?.trim() || 'dev';
}

/**
 * The service's metrics (EMF lines on stdout, turned into CloudWatch metrics by Lambda). Every metric
 * carries `service` and `stage`: staging's dead orders must never trip production's alarm.
 */
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'swan-order-sync',
  defaultDimensions: { stage: metricsStage() },
});

/**
 * Publishes what a run stored, after it returns and also when it throws (a failed run's Baidu calls and
 * due-order age are what the operator needs most). Powertools' logMetrics does the same but writes a
 * warning line on every run that stored nothing (a duplicate event, an operator report); this does not.
 */
export function publishMetrics(target: Metrics = metrics): MiddlewareObj {
  const publish = (): void => {
    if (target.hasStoredMetrics()) target.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
}

/** One Metrics per reply status, made once: a fresh singleMetric() per request costs ~0.25 ms. */
const byStatus = new Map<string, Metrics>();

/** One reply of an intake route or direct invoke, by status (`202`, `422`, `invoke`...): published at once. */
export function recordReply(status: number | string, target: Metrics = metrics): void {
  const key = String(status);
  let single = target === metrics ? byStatus.get(key) : undefined;
  if (!single) {
    single = target.singleMetric();
    single.setDefaultDimensions({ status: key });
    if (target === metrics) byStatus.set(key, single);
  }
  single.addMetric('IntakeReplies', MetricUnit.Count, 1);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Baidu's error fields in a JSON reply: errno (Order Center, cashier) or error_code (gateway). */
function baiduError(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { errno, error_code: errorCode, error } = body as Record<string, unknown>;
  return (
    (errno !== undefined && Number(errno) !== 0) ||
    (errorCode !== undefined && Number(errorCode) !== 0) ||
    (typeof error === 'string' && error !== '')
  );
}

/**
 * fetch, timed: each call to Baidu stores BaiduCalls, BaiduCallLatency (ms, to the reply's headers) and,
 * when it failed (no reply, HTTP >= 400, or a reply whose errno or error_code is not 0), BaiduCallErrors.
 * The body is read from a clone, so the caller reads the reply as if nothing had looked at it.
 */
export function timedFetch(
  inner: typeof fetch = (...args) => fetch(...args),
  target: Metrics = metrics,
  now: () => number = () => performance.now(),
): typeof fetch {
  return async (input, init) => {
    const started = now();
    target.addMetric('BaiduCalls', MetricUnit.Count, 1);
    let reply: Response;
    try {
      reply = await inner(input, init);
    } catch (err) {
      target.addMetric('BaiduCallErrors', MetricUnit.Count, 1);
      throw err;
    } finally {
      target.addMetric('BaiduCallLatency', MetricUnit.Milliseconds, Math.max(0, now() - started));
    }
    // Baidu answers JSON under several content types (text/html among them): the body decides.
    const failed =
      reply.status >= 400 ||
      baiduError(
        parseJson(
          await reply
            .clone()
            .text()
            .catch(() => ''),
        ),
      );
    if (failed) target.addMetric('BaiduCallErrors', MetricUnit.Count, 1);
    return reply;
  };
}

export { MetricUnit };
