import { startLocalOrderCenter, type LocalOrderCenter } from '../../local/order-center';
import { CALL_PATHS, type OrderCenterCall } from '../../lib/order-center/types';
import { APP, callCenter, callUrl, mainOrder, OPEN_ID, OTHER_APP, page, testClock } from './helpers';

describe('local Order Center: what it refuses', () => {
  let center: LocalOrderCenter;
  const clock = testClock();
  const TTL = 3600;

  beforeAll(async () => {
    center = await startLocalOrderCenter({ apps: [APP, OTHER_APP], now: clock.now, tokenTtlSeconds: TTL });
  });
  afterAll(() => center.stop());
  beforeEach(() => center.reset());

  describe('paths', () => {
    it('404s the wrong update/sub/status path printed on the API page, and changes nothing', async () => {
      // Prepare
      await callCenter(center, 'add/main/info', page.addMainInfo());
      const before = center.orders();
      // Act
      const result = await callCenter(center, 'update/sub/status', page.updateSubStatus(), {
        path: '/rest/2.0/smartapp/app/update/sub/status',
      });
      // Assess
      expect(result.status).toBe(404);
      expect(result.json).toEqual({
        error_code: 3,
        error_msg: 'Unsupported openapi method: /rest/2.0/smartapp/app/update/sub/status',
      });
      expect(center.orders()).toEqual(before);
      expect(center.requests.at(-1)).toMatchObject({
        status: 404,
        path: '/rest/2.0/smartapp/app/update/sub/status',
      });
      expect(center.requests.at(-1)!.call).toBeUndefined();
    });

    it.each(Object.entries(CALL_PATHS))('answers %s only to POST', async (_call, path) => {
      // Act
      const res = await fetch(`${center.url}${path}?access_token=${center.issueToken()}&open_id=${OPEN_ID}`);
      // Assess
      expect(res.status).toBe(405);
      expect(await res.json()).toMatchObject({ error_code: 3 });
    });
  });

  describe('query parameters', () => {
    it.each([
      ['access_token', { token: null }],
      ['open_id', { openId: null }],
      ['open_id', { openId: '' }],
    ])('answers 2002 naming %s when it is missing', async (name, opts) => {
      // Act
      const result = await callCenter(center, 'add/main/info', page.addMainInfo(), opts);
      // Assess
      expect(result.json).toEqual({ errno: 2002, msg: `param error: ${name}: is required`, data: [] });
      expect(center.orders()).toEqual([]);
    });

    it('records scene_id, scene_type and pm_app_key in the request log', async () => {
      // Prepare
      const query = { scene_id: '159259079195', scene_type: '2', pm_app_key: 'cashier-app-key' };
      // Act
      await callCenter(center, 'add/main/info', page.addMainInfo(), { query });
      // Assess
      expect(center.requests[0]!.query).toMatchObject({ ...query, open_id: OPEN_ID });
    });
  });

  describe('access tokens', () => {
    it('answers error_code 110 to a token it never issued', async () => {
      // Act
      const result = await callCenter(center, 'add/main/info', page.addMainInfo(), {
        token: 'made-up-token',
      });
      // Assess
      expect(result).toEqual({
        status: 200,
        json: { error_code: 110, error_msg: 'Access token invalid or no longer valid' },
      });
      expect(center.orders()).toEqual([]);
    });

    it('answers error_code 111 to every token issued before expireTokens(), and accepts newer ones', async () => {
      // Prepare
      const old = center.issueToken();
      center.expireTokens();
      // Act
      const expired = await callCenter(center, 'add/main/info', page.addMainInfo(), { token: old });
      const fresh = await callCenter(center, 'add/main/info', page.addMainInfo(), {
        token: center.issueToken(),
      });
      // Assess
      expect(expired.json).toEqual({ error_code: 111, error_msg: 'Access token expired' });
      expect(fresh.json.errno).toBe(0);
    });

    it('answers error_code 111 once tokenTtlSeconds have passed', async () => {
      // Prepare
      const token = center.issueToken();
      clock.advance(TTL - 1);
      const stillValid = await callCenter(center, 'add/main/info', page.addMainInfo(), { token });
      clock.advance(1);
      // Act
      const expired = await callCenter(center, 'add/main/info', page.addMainInfo(), { token });
      // Assess
      expect(stillValid.json.errno).toBe(0);
      expect(expired.json).toMatchObject({ error_code: 111 });
    });

    it('refuses a BizAPPID that is not the app the token was issued to, naming BizAPPID', async () => {
      // Act
      const result = await callCenter(
        center,
        'add/main/info',
        { Data: [mainOrder()] },
        { token: center.issueToken(OTHER_APP.appKey) },
      );
      // Assess
      expect(result.json).toEqual({
        errno: 2002,
        msg: 'param error: Data[0].BizAPPID: must be the AppKey the access token was issued to',
        data: [],
      });
      expect(center.orders()).toEqual([]);
    });
  });

  describe('bodies', () => {
    it.each(['', '{"Data": [', 'Data=1'])('answers 2002 "invalid json" to %j', async (body) => {
      // Act
      const result = await callCenter(center, 'add/main/info', body);
      // Assess
      expect(result.json).toEqual({ errno: 2002, msg: 'invalid json', data: [] });
      expect(center.requests[0]!.body).toBe(body === '' ? null : body);
    });

    const withoutTitle = () => {
      const { Title: _title, ...rest } = mainOrder();
      return { Data: [rest] };
    };
    /** The page's placeholder SubsOrder.Status 0, alone. */
    const subsOrderStatusZero = () => {
      const [item] = page.updateSubStatus().Data;
      return { Data: [{ ...item, EXT: { SubsOrder: { ...item!.EXT.SubsOrder, Status: 0 } } }] };
    };
    const cases: [OrderCenterCall, () => unknown, string][] = [
      ['add/main/info', withoutTitle, 'Data[0].Title'],
      ['add/main/info', () => ({ Data: [mainOrder({ Status: 2 })] }), 'Data[0].Status'],
      ['add/main/info', () => ({ Data: [mainOrder(), mainOrder()] }), 'Data'],
      ['add/main/info', () => ({ Data: [{ ...mainOrder(), Ext: {} }] }), 'Data[0].Ext'],
      [
        'update/main/status',
        () => ({ Data: [{ ...page.updateMainStatus().Data[0], Status: '200' }] }),
        'Data[0].Status',
      ],
      ['append/sub/info', () => ({ Data: page.appendSubInfo().Data[0] }), 'Data'],
      ['update/sub/status', subsOrderStatusZero, 'Data[0].EXT.SubsOrder.Status'],
    ];
    it.each(cases)('answers %s 2002 naming the field (%#)', async (call, body, field) => {
      // Act
      const result = await callCenter(center, call, body());
      // Assess
      expect(result.json).toMatchObject({ errno: 2002, data: [] });
      expect(String(result.json.msg)).toMatch(/^param error: /);
      expect(String(result.json.msg)).toContain(field);
      expect(center.orders()).toEqual([]);
    });

    it('refuses the page\'s add/main/info example as published: SubStatus "" is no status', async () => {
      // Prepare
      const published = JSON.parse(
        JSON.stringify(page.addMainInfo()).replace('"SubStatus":400', '"SubStatus":""'),
      );
      // Act
      const res = await fetch(callUrl(center, 'add/main/info'), {
        method: 'POST',
        body: JSON.stringify(published),
      });
      // Assess
      expect(await res.json()).toMatchObject({ errno: 2002, msg: expect.stringContaining('SubStatus') });
    });
  });
});
