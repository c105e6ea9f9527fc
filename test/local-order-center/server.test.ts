import {
  LocalOrderCenterError,
  startLocalOrderCenter,
  type LocalOrderCenter,
  type LocalOrderCenterOptions,
} from '../../local/order-center';
import { InvalidOptionsError } from '../../local/order-center';
import { APP, callCenter, mainOrder } from './helpers';

describe('startLocalOrderCenter', () => {
  it('listens on 127.0.0.1 on a free port and says where', async () => {
    // Act
    const center = await startLocalOrderCenter({ apps: [APP] });
    try {
      // Assess
      expect(center.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${center.url}/`);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain('还没有订单');
    } finally {
      await center.stop();
    }
  });

  it.each<[LocalOrderCenterOptions, string]>([
    [{ port: -1 }, 'port'],
    [{ port: 1.5 }, 'port'],
    [{ host: '' }, 'host'],
    [{ tokenTtlSeconds: 0 }, 'tokenTtlSeconds'],
    [{ apps: [{ appKey: '', appSecret: 's' }] }, 'apps[0].appKey'],
    [{ apps: [{ appKey: 'k', appSecret: '' }] }, 'apps[0].appSecret'],
    [{ apps: [APP, { ...APP }] }, 'apps[1].appKey'],
  ])('refuses %j naming %s', async (opts, path) => {
    // Act
    const started = startLocalOrderCenter(opts);
    // Assess
    await expect(started).rejects.toThrow(InvalidOptionsError);
    await expect(started).rejects.toMatchObject({ issues: [expect.objectContaining({ path })] });
  });

  it('stops for good: stop() twice is fine and the port no longer answers', async () => {
    // Prepare
    const center = await startLocalOrderCenter({ apps: [APP] });
    // Act
    await Promise.all([center.stop(), center.stop()]);
    await center.stop();
    // Assess
    await expect(fetch(`${center.url}/`)).rejects.toThrow();
  });

  it('issueToken needs an app to issue for', async () => {
    // Prepare
    const center = await startLocalOrderCenter();
    try {
      // Act
      const act = () => center.issueToken();
      // Assess
      expect(act).toThrow(LocalOrderCenterError);
      expect(center.issueToken('explicit-app-key')).toEqual(expect.any(String));
    } finally {
      await center.stop();
    }
  });
});

describe('local Order Center: HTTP edges', () => {
  let center: LocalOrderCenter;

  beforeAll(async () => {
    center = await startLocalOrderCenter({ apps: [APP] });
  });
  afterAll(() => center.stop());
  beforeEach(() => center.reset());

  it.each([
    ['GET', '/__faults', 'POST'],
    ['POST', '/orders', 'GET'],
    ['DELETE', '/requests', 'GET'],
    ['GET', '/__reset', 'POST'],
    ['POST', '/', 'GET'],
  ])('answers %s %s with 405 naming %s', async (method, path, allowed) => {
    // Act
    const res = await fetch(`${center.url}${path}`, { method });
    // Assess
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({
      error: {
        code: 'method_not_allowed',
        message: `${method} ${path} is not allowed, use ${allowed}`,
        details: [],
      },
    });
  });

  it('answers the browser asking for /favicon.ico with 204, not a 404, and logs it as no call', async () => {
    // Act
    const res = await fetch(`${center.url}/favicon.ico`);
    // Assess
    expect(res.status).toBe(204);
    await expect(res.text()).resolves.toBe('');
    expect(center.requests).toEqual([]);
  });

  it('answers DELETE on the OAuth path with 405', async () => {
    // Act
    const res = await fetch(`${center.url}/oauth/2.0/token`, { method: 'DELETE' });
    // Assess
    expect(res.status).toBe(405);
  });

  it('refuses a body over 1 MiB with 413 and stores nothing', async () => {
    // Prepare
    const huge = JSON.stringify({ Data: [mainOrder({ Title: 'x'.repeat(1024 * 1024) })] });
    // Act
    const result = await callCenter(center, 'add/main/info', huge);
    // Assess
    expect(result.status).toBe(413);
    expect(result.json).toMatchObject({ error: { code: 'body_too_large' } });
    expect(center.orders()).toEqual([]);
  });

  it('hands out copies: changing what orders() returned changes nothing stored', async () => {
    // Prepare
    await callCenter(center, 'add/main/info', { Data: [mainOrder({ Status: 5 })] });
    // Act
    center.orders()[0]!.data.Status = 200;
    center.order('2221554346520')!.statusHistory.push({ status: 200, at: 0 });
    // Assess
    expect(center.order('2221554346520')).toMatchObject({
      data: { Status: 5 },
      statusHistory: [{ status: 5 }],
    });
  });
});
