import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { metricsStage, publishMetrics, recordReply, timedFetch } from '../../lib/metrics';

/** EMF lines a Metrics instance writes, captured from its console. */
function captured(target: Metrics): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  jest.spyOn(target['console'] as Console, 'log').mockImplementation((line: string) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return lines;
}

const newMetrics = () =>
  new Metrics({
    namespace: 'SwanOrderSync',
    serviceName: 'swan-order-sync',
    defaultDimensions: { stage: 'staging' },
  });
const dimensionsOf = (line: Record<string, unknown>) =>
  (line._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics[0]!.Dimensions[0];

afterEach(() => jest.restoreAllMocks());

describe('metricsStage', () => {
  it.each([
    [{ STAGE: 'prod' }, 'prod'],
    [{ SLS_STAGE: 'staging' }, 'staging'],
    [{ STAGE: ' ' }, 'dev'],
    [{}, 'dev'],
  ])('reads %p as %s', (env, stage) => expect(metricsStage(env)).toBe(stage));
});

describe('publishMetrics', () => {
  it('publishes what a failed run stored, with service and stage', async () => {
    const target = newMetrics();
    const lines = captured(target);
    const handler = middy(async () => {
      target.addMetric('BaiduCalls', 'Count', 1);
      throw new Error('run failed');
    }).use(publishMetrics(target));

    await expect(handler({}, {} as never)).rejects.toThrow('run failed');

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'swan-order-sync', stage: 'staging', BaiduCalls: 1 });
    expect(dimensionsOf(lines[0]!)).toEqual(['service', 'stage']);
  });

  it('writes nothing for a run that stored nothing', async () => {
    const target = newMetrics();
    const lines = captured(target);
    const warn = jest.spyOn(console, 'warn');
    await middy(async () => 'ok').use(publishMetrics(target))({}, {} as never);
    expect(lines).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('recordReply', () => {
  it('publishes one IntakeReplies at once, by status, with the stage', () => {
    // a single metric is its own Metrics instance, writing to stdout at once
    const lines: Record<string, unknown>[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const text = String(chunk).trim();
      if (text.startsWith('{')) lines.push(JSON.parse(text) as Record<string, unknown>);
      return true;
    });
    recordReply(422, newMetrics());
    expect(lines).toEqual([expect.objectContaining({ IntakeReplies: 1, status: '422', stage: 'staging' })]);
    expect(dimensionsOf(lines[0]!)).toEqual(['service', 'stage', 'status']);
  });
});

describe('timedFetch', () => {
  const reply =
    (status: number, body: string) =>
    async (..._args: unknown[]) =>
      new Response(body, { status });

  it.each([
    ['a success', reply(200, '{"errno":0,"data":[]}'), 0],
    ['an errno', reply(200, '{"errno":2002,"msg":"param error"}'), 1],
    ['a gateway error_code', reply(200, '{"error_code":110,"error_msg":"Access token invalid"}'), 1],
    ['an OAuth error', reply(400, '{"error":"invalid_client"}'), 1],
    ['an HTTP 502 with no JSON', reply(502, 'Bad Gateway'), 1],
  ])('counts %s as %i errors, and times it', async (_name, inner, errors) => {
    const target = newMetrics();
    const lines = captured(target);
    let clock = 1_000;
    const timed = timedFetch(
      async () => {
        clock += 42;
        return inner();
      },
      target,
      () => clock,
    );

    const response = await timed('https://openapi.baidu.com/x');
    const body = await response.text();
    target.publishStoredMetrics();

    expect(body.length).toBeGreaterThan(0); // the caller still reads the whole body
    expect(lines[0]).toMatchObject({ BaiduCalls: 1, BaiduCallLatency: 42 });
    expect(lines[0]!.BaiduCallErrors ?? 0).toBe(errors);
  });

  it('counts a call that got no reply as an error, and rethrows', async () => {
    const target = newMetrics();
    const lines = captured(target);
    const timed = timedFetch(async () => Promise.reject(new TypeError('fetch failed')), target);
    await expect(timed('https://openapi.baidu.com/x')).rejects.toThrow('fetch failed');
    target.publishStoredMetrics();
    expect(lines[0]).toMatchObject({ BaiduCalls: 1, BaiduCallErrors: 1 });
  });
});
