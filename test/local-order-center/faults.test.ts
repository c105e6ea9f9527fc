import { startLocalOrderCenter, type LocalOrderCenter, type RequestLogEntry } from '../../local/order-center';
import { InvalidOptionsError } from '../../local/order-center';
import type { CallBodies } from '../../lib/order-center/types';
import {
  APP,
  callCenter,
  callUrl,
  getJson,
  mainOrder,
  OPEN_ID,
  postJson,
  rows,
  T0,
  testClock,
} from './helpers';

/** Always the same draw: with a rate of 1 it hits, and it picks the option at that fraction. */
const always = (value: number) => () => value;

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const RID = '2221554346520';
const toShipped: CallBodies['update/main/status'] = {
  Data: [{ CateID: 1, BizAPPID: APP.appKey, ResourceID: RID, Status: 6 }],
};

describe('local Order Center: faults', () => {
  let center: LocalOrderCenter;

  beforeEach(async () => {
    center = await startLocalOrderCenter({ apps: [APP], now: testClock().now });
  });
  afterEach(() => center.stop());

  async function addPaid(): Promise<void> {
    expect(rows(await callCenter(center, 'add/main/info', { Data: [mainOrder({ Status: 5 })] }))).toEqual([
      '1',
    ]);
  }

  it.each([
    [0, 502, 'text/html', null],
    [0.9, 503, 'application/json', { error_code: 2, error_msg: 'Service temporarily unavailable' }],
  ])(
    'answers a gateway failure and applies nothing (draw %d -> HTTP %d)',
    async (draw, status, contentType, json) => {
      // Prepare
      center.setFaults({ http5xxRate: 1, random: always(draw) });
      // Act
      const res = await fetch(callUrl(center, 'add/main/info'), {
        method: 'POST',
        body: JSON.stringify({ Data: [mainOrder()] }),
      });
      // Assess
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain(contentType);
      expect(jsonOrNull(await res.text())).toEqual(json);
      expect(center.orders()).toEqual([]);
      expect(center.requests[0]).toMatchObject({ status, fault: '5xx' });
    },
  );

  it.each([
    [0, 1000],
    [0.5, 500],
    [0.9, 5000],
  ])('answers busy and applies nothing (draw %d -> errno %d)', async (draw, errno) => {
    // Prepare
    await addPaid();
    center.setFaults({ busyRate: 1, random: always(draw) });
    // Act
    const result = await callCenter(center, 'update/main/status', toShipped);
    // Assess
    expect(result).toEqual({ status: 200, json: { errno, msg: 'busy', data: [] } });
    expect(center.order(RID)!.data.Status).toBe(5);
  });

  it('answers rows_affected "0" on updates at rowsAffectedZeroRate and applies nothing, but still adds', async () => {
    // Prepare
    center.setFaults({ rowsAffectedZeroRate: 1, random: always(0) });
    await addPaid();
    // Act
    const result = await callCenter(center, 'update/main/status', toShipped);
    // Assess
    expect(result.json).toEqual({
      errno: 0,
      msg: 'success',
      data: [{ biz_app_id: APP.appKey, cate_id: '1', resource_id: RID, rows_affected: '0' }],
    });
    expect(center.order(RID)!.statusHistory.map((h) => h.status)).toEqual([5]);
    expect(center.requests.map((r) => r.fault)).toEqual([undefined, 'rows0']);
  });

  it('delays every answer by latencyMs, after applying the change', async () => {
    // Prepare
    center.setFaults({ latencyMs: 300 });
    const started = Date.now();
    // Act
    const pending = callCenter(center, 'add/main/info', { Data: [mainOrder()] });
    await waitFor(() => center.requests.length === 1);
    const storedBeforeAnswer = center.orders().length;
    const result = await pending;
    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(rows(result)).toEqual(['1']);
    expect(storedBeforeAnswer).toBe(1);
  });

  it('never answers a hanging request, applies nothing, and stop() does not wait for it', async () => {
    // Prepare
    center.setFaults({ hangRate: 1, random: always(0) });
    const outcome = callCenter(center, 'add/main/info', { Data: [mainOrder()] }).then(
      () => 'answered',
      () => 'connection closed',
    );
    await waitFor(() => center.requests.length === 1);
    const settledEarly = await Promise.race([
      outcome,
      new Promise((r) => setTimeout(() => r('pending'), 200)),
    ]);
    // Act
    const started = Date.now();
    await center.stop();
    // Assess
    expect(Date.now() - started).toBeLessThan(1000);
    expect(settledEarly).toBe('pending');
    expect(await outcome).toBe('connection closed');
    expect(center.orders()).toEqual([]);
    expect(center.requests[0]).toMatchObject({ status: 0, reply: null, fault: 'hang' });
  });

  it('stop() does not wait for a delayed answer either', async () => {
    // Prepare
    center.setFaults({ latencyMs: 60_000 });
    const outcome = callCenter(center, 'add/main/info', { Data: [mainOrder()] }).then(
      () => 'answered',
      () => 'connection closed',
    );
    await waitFor(() => center.requests.length === 1);
    // Act
    const started = Date.now();
    await center.stop();
    // Assess
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await outcome).toBe('connection closed');
  });

  it('plays the failNext script one call request at a time, before the rates, then applies as usual', async () => {
    // Prepare
    await addPaid();
    center.clearRequests();
    center.setFaults({ failNext: ['5xx', 'busy', 'token-expired', 'param', 'rows0'], random: always(0.9) });
    // Act
    const statuses: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(callUrl(center, 'update/main/status'), {
        method: 'POST',
        body: JSON.stringify(toShipped),
      });
      statuses.push([res.status, await res.json()]);
      expect(center.order(RID)!.data.Status).toBe(5);
    }
    const last = await callCenter(center, 'update/main/status', toShipped);
    // Assess
    expect(statuses).toEqual([
      [503, { error_code: 2, error_msg: 'Service temporarily unavailable' }],
      [200, { errno: 5000, msg: 'busy', data: [] }],
      [200, { error_code: 111, error_msg: 'Access token expired' }],
      [200, { errno: 2002, msg: expect.stringMatching(/^param error: /), data: [] }],
      [200, { errno: 0, msg: 'success', data: [expect.objectContaining({ rows_affected: '0' })] }],
    ]);
    expect(rows(last)).toEqual(['1']);
    expect(center.order(RID)!.data.Status).toBe(6);
    expect(center.faults.failNext).toEqual([]);
    expect(center.requests.map((r) => r.fault)).toEqual([
      '5xx',
      'busy',
      'token-expired',
      'param',
      'rows0',
      undefined,
    ]);
  });

  it('logs every request in order with what it answered', async () => {
    // Prepare
    const token = center.issueToken();
    const body = { Data: [mainOrder()] };
    // Act
    const result = await callCenter(center, 'add/main/info', body, { token, query: { scene_type: '2' } });
    await fetch(`${center.url}/nowhere`);
    // Assess
    expect(center.requests).toEqual<RequestLogEntry[]>([
      {
        seq: 1,
        method: 'POST',
        path: '/rest/2.0/smartapp/ordercenter/app/add/main/info',
        call: 'add/main/info',
        query: { access_token: token, open_id: OPEN_ID, scene_type: '2' },
        body,
        status: 200,
        reply: result.json,
        fault: undefined,
        receivedAt: T0,
      },
      {
        seq: 2,
        method: 'GET',
        path: '/nowhere',
        call: undefined,
        query: {},
        body: null,
        status: 404,
        reply: { error_code: 3, error_msg: 'Unsupported openapi method: /nowhere' },
        fault: undefined,
        receivedAt: T0,
      },
    ]);
  });

  it('refuses bad settings from setFaults naming the field, and resetFaults restores the defaults', () => {
    // Act
    const act = () => center.setFaults({ busyRate: 2 });
    center.setFaults({ latencyMs: 5, failNext: ['busy'] });
    center.resetFaults();
    // Assess
    expect(act).toThrow(InvalidOptionsError);
    expect(act).toThrow('busyRate');
    expect(center.faults).toEqual({
      http5xxRate: 0,
      busyRate: 0,
      latencyMs: 0,
      hangRate: 0,
      rowsAffectedZeroRate: 0,
      failNext: [],
      random: Math.random,
    });
  });

  it('reads the faults object live, so a test can set a field directly', async () => {
    // Prepare
    center.faults.failNext.push('busy');
    // Act
    const result = await callCenter(center, 'add/main/info', { Data: [mainOrder()] });
    // Assess
    expect(result.json).toMatchObject({ msg: 'busy' });
  });
});

describe('local Order Center: control endpoints for another process', () => {
  let center: LocalOrderCenter;

  beforeEach(async () => {
    center = await startLocalOrderCenter({ apps: [APP] });
  });
  afterEach(() => center.stop());

  it('POST /__faults sets faults and answers the settings now in force', async () => {
    // Act
    const res = await postJson(center, '/__faults', { busyRate: 1, failNext: ['param'] });
    const first = await callCenter(center, 'add/main/info', { Data: [mainOrder()] });
    const second = await callCenter(center, 'add/main/info', { Data: [mainOrder()] });
    // Assess
    expect(res).toEqual({
      status: 200,
      json: {
        http5xxRate: 0,
        busyRate: 1,
        latencyMs: 0,
        hangRate: 0,
        rowsAffectedZeroRate: 0,
        failNext: ['param'],
      },
    });
    expect(first.json.errno).toBe(2002);
    expect(second.json).toMatchObject({ msg: 'busy' });
  });

  it.each([
    [{ hangRate: 3 }, 'hangRate'],
    [{ failNext: ['later'] }, 'failNext[0]'],
    [{ random: 1 }, 'random'],
  ])('POST /__faults refuses %j with HTTP 400 naming %s, changing nothing', async (patch, path) => {
    // Act
    const res = await postJson(center, '/__faults', patch);
    // Assess
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: {
        code: 'invalid_faults',
        message: expect.stringContaining(path),
        details: [expect.objectContaining({ path })],
      },
    });
    expect(center.faults.hangRate).toBe(0);
    expect(center.faults.failNext).toEqual([]);
  });

  it('POST /__faults refuses a body that is not JSON', async () => {
    // Act
    const res = await fetch(`${center.url}/__faults`, { method: 'POST', body: 'busyRate=1' });
    // Assess
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('GET /orders and GET /requests answer the stored orders and the log, and are not logged themselves', async () => {
    // Prepare
    await callCenter(center, 'add/main/info', { Data: [mainOrder()] });
    // Act
    const orders = await getJson(center, '/orders');
    const requests = await getJson<RequestLogEntry[]>(center, '/requests');
    // Assess
    expect(orders).toEqual(center.orders());
    expect(orders).toHaveLength(1);
    expect(requests).toEqual(JSON.parse(JSON.stringify(center.requests)));
    expect(requests.map((r) => r.call)).toEqual(['add/main/info']);
  });

  it('POST /__reset forgets orders, requests and faults, and keeps tokens', async () => {
    // Prepare
    const token = center.issueToken();
    await callCenter(center, 'add/main/info', { Data: [mainOrder()] }, { token });
    center.setFaults({ latencyMs: 10, failNext: ['busy'] });
    // Act
    const res = await postJson(center, '/__reset', {});
    // Assess
    expect(res).toEqual({ status: 200, json: { reset: true } });
    expect(center.orders()).toEqual([]);
    expect(center.requests).toEqual([]);
    expect(center.faults).toMatchObject({ latencyMs: 0, failNext: [] });
    const after = await callCenter(center, 'add/main/info', { Data: [mainOrder()] }, { token });
    expect(rows(after)).toEqual(['1']);
    expect(center.requests[0]!.seq).toBe(1);
  });
});
