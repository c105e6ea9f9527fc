import { startLocalOrderCenter, type LocalOrderCenter } from '../../local/order-center';
import { APP, callCenter, OTHER_APP, page, testClock } from './helpers';

describe('local Order Center: OAuth client-credentials tokens', () => {
  let center: LocalOrderCenter;
  const clock = testClock();

  beforeAll(async () => {
    center = await startLocalOrderCenter({ apps: [APP, OTHER_APP], now: clock.now });
  });
  afterAll(() => center.stop());
  beforeEach(() => center.reset());

  const good = {
    grant_type: 'client_credentials',
    client_id: APP.appKey,
    client_secret: APP.appSecret,
    scope: 'smartapp_snsapi_base',
  };

  async function fetchToken(params: Record<string, string>, method = 'GET') {
    const query = new URLSearchParams(params).toString();
    const res =
      method === 'GET'
        ? await fetch(`${center.url}/oauth/2.0/token?${query}`)
        : await fetch(`${center.url}/oauth/2.0/token`, {
            method,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: query,
          });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it.each(['GET', 'POST'])('issues a working token to a known client (%s)', async (method) => {
    // Act
    const { status, json } = await fetchToken(good, method);
    // Assess
    expect(status).toBe(200);
    expect(json).toEqual({
      access_token: expect.any(String),
      expires_in: 2592000,
      scope: 'smartapp_snsapi_base',
      session_key: '',
      session_secret: '',
    });
    const token = json.access_token as string;
    expect(token.length).toBeGreaterThanOrEqual(32);
    const call = await callCenter(center, 'add/main/info', page.addMainInfo(), { token });
    expect(call.json.errno).toBe(0);
  });

  it('issues a different token every time and keeps the older ones valid until they expire', async () => {
    // Prepare
    const first = (await fetchToken(good)).json.access_token as string;
    // Act
    const second = (await fetchToken(good)).json.access_token as string;
    // Assess
    expect(second).not.toBe(first);
    for (const token of [first, second]) {
      expect((await callCenter(center, 'add/main/info', page.addMainInfo(), { token })).json.errno).toBe(0);
    }
  });

  it('binds the token to the client it was issued to', async () => {
    // Prepare
    const token = (
      await fetchToken({ ...good, client_id: OTHER_APP.appKey, client_secret: OTHER_APP.appSecret })
    ).json.access_token as string;
    // Act
    const call = await callCenter(center, 'add/main/info', page.addMainInfo(), { token });
    // Assess
    expect(call.json).toMatchObject({ errno: 2002, msg: expect.stringContaining('Data[0].BizAPPID') });
  });

  it.each([
    ['a wrong grant_type', { grant_type: 'authorization_code' }, 'unsupported_grant_type'],
    ['no grant_type', { grant_type: undefined }, 'invalid_request'],
    ['an unknown client', { client_id: 'unknown-app-key' }, 'invalid_client'],
    ['no client_id', { client_id: undefined }, 'invalid_client'],
    ['a wrong secret', { client_secret: 'wrong-secret-value' }, 'invalid_client'],
    ['no secret', { client_secret: undefined }, 'invalid_client'],
    ['another scope', { scope: 'snsapi_userinfo' }, 'invalid_scope'],
  ])('answers HTTP 400 to %s', async (_case, change, error) => {
    // Prepare
    const params = Object.fromEntries(
      Object.entries({ ...good, ...change }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    // Act
    const { status, json } = await fetchToken(params);
    // Assess
    expect(status).toBe(400);
    expect(json).toEqual({ error: expect.any(String), error_description: expect.any(String) });
    expect(json.error).toBe(error);
    expect(JSON.stringify(json)).not.toContain(APP.appSecret);
    expect(JSON.stringify(json)).not.toContain('wrong-secret-value');
  });

  it('records token requests with the secret hidden', async () => {
    // Act
    await fetchToken(good);
    await fetchToken(good, 'POST');
    // Assess
    expect(center.requests.map((r) => [r.call, r.method, r.status])).toEqual([
      ['oauth/token', 'GET', 200],
      ['oauth/token', 'POST', 200],
    ]);
    expect(center.requests[0]!.query.client_secret).toBe('***');
    expect(center.requests[1]!.body).toMatchObject({ client_id: APP.appKey, client_secret: '***' });
    expect(JSON.stringify(center.requests)).not.toContain(APP.appSecret);
  });

  it('issues tokens that expire after tokenTtlSeconds', async () => {
    // Prepare
    const short = await startLocalOrderCenter({ apps: [APP], now: clock.now, tokenTtlSeconds: 60 });
    try {
      const res = await fetch(`${short.url}/oauth/2.0/token?${new URLSearchParams(good)}`);
      const { access_token: token, expires_in: expiresIn } = (await res.json()) as Record<string, string>;
      // Act
      clock.advance(60);
      const call = await callCenter(short, 'add/main/info', page.addMainInfo(), { token });
      // Assess
      expect(expiresIn).toBe(60);
      expect(call.json).toEqual({ error_code: 111, error_msg: 'Access token expired' });
    } finally {
      await short.stop();
    }
  });
});
