import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createLocalSsmClient, startLocalSsm, type LocalSsm } from '../../local/ssm';
import {
  OAuthError,
  ParameterStoreError,
  rotateAccessToken,
  type RotateAccessTokenOptions,
} from '../../lib/token';
import { InvalidInputError } from '../../lib/validation';
import { json, startFakeOAuth, type FakeOAuth, type OAuthReply } from './fake-oauth';

const APP_KEY = 'swan-app-key-42';
// Characters that URL encoding changes, so the test proves the query is encoded.
const APP_SECRET = 'Sekr3t+/=&app-secret';
const SECRET_PARAM = '/swan-order-sync/test/app-secret';
const TOKEN_PARAM = '/swan-order-sync/test/access-token';
const NOW = Date.parse('2026-01-01T00:00:00.000Z');

const granted = json(200, {
  access_token: '24.new-access-token.2592000.1767225600.1234',
  expires_in: 2592000,
  refresh_token: 'not-used',
  scope: 'smartapp_snsapi_base',
});

/** The rejection of `promise`, failing the test when it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** Everything an error could show in a log line: message, stack, own fields, cause. */
function everythingShown(err: Error): string {
  return [String(err), err.stack ?? '', JSON.stringify(err), JSON.stringify(err.cause ?? null)].join('\n');
}

describe('rotateAccessToken, against the SSM stand-in and a fake OAuth server', () => {
  let ssm: LocalSsm;
  let client: SSMClient;
  let oauth: FakeOAuth;

  const options = (override: Partial<RotateAccessTokenOptions> = {}): RotateAccessTokenOptions => ({
    ssm: client,
    fetch,
    oauthBaseUrl: oauth.url,
    appKey: APP_KEY,
    appSecretParam: SECRET_PARAM,
    accessTokenParam: TOKEN_PARAM,
    now: () => NOW,
    ...override,
  });

  beforeEach(async () => {
    ssm = await startLocalSsm({
      parameters: {
        [SECRET_PARAM]: { value: APP_SECRET, type: 'SecureString' },
        [TOKEN_PARAM]: { value: 'old-token', type: 'SecureString' },
      },
    });
    client = createLocalSsmClient(ssm.url);
    oauth = await startFakeOAuth(granted);
  });

  afterEach(async () => {
    client.destroy();
    await oauth.stop();
    await ssm.stop();
  });

  it('asks Baidu with the decrypted AppSecret, URL-encoded, and the right grant and scope', async () => {
    await rotateAccessToken(options());

    expect(oauth.requests).toHaveLength(1);
    const [request] = oauth.requests;
    expect(request!.pathname).toBe('/oauth/2.0/token');
    expect(Object.fromEntries(request!.searchParams)).toEqual({
      grant_type: 'client_credentials',
      client_id: APP_KEY,
      client_secret: APP_SECRET,
      scope: 'smartapp_snsapi_base',
    });
  });

  it('overwrites the token as a SecureString and returns when it expires, not the token', async () => {
    // Act
    const result = await rotateAccessToken(options());

    // Assess
    expect(result).toEqual({
      expiresIn: 2592000,
      expiresAt: '2026-01-31T00:00:00.000Z',
      parameter: TOKEN_PARAM,
    });
    expect(JSON.stringify(result)).not.toContain('new-access-token');
    const stored = await client.send(new GetParameterCommand({ Name: TOKEN_PARAM }));
    expect(stored.Parameter).toMatchObject({ Type: 'SecureString', Version: 2 });
    expect(ssm.get(TOKEN_PARAM)).toBe('24.new-access-token.2592000.1767225600.1234');
  });

  it('creates the token parameter when there is none yet', async () => {
    await client.send(new PutParameterCommand({ Name: '/fresh', Value: 'x', Type: 'String' }));
    ssm.clearRequests();

    await rotateAccessToken(options({ accessTokenParam: '/swan-order-sync/test/first-token' }));

    expect(ssm.get('/swan-order-sync/test/first-token')).toBe('24.new-access-token.2592000.1767225600.1234');
    expect(ssm.requests).toEqual([
      { target: 'GetParameter', name: SECRET_PARAM },
      { target: 'PutParameter', name: '/swan-order-sync/test/first-token' },
    ]);
  });

  it('accepts a base URL with a trailing slash', async () => {
    await rotateAccessToken(options({ oauthBaseUrl: `${oauth.url}/` }));

    expect(oauth.requests[0]!.pathname).toBe('/oauth/2.0/token');
  });

  it("throws Baidu's refusal as OAuthError `<error>: <error_description>` and keeps the old token", async () => {
    // Prepare
    oauth.reply(json(400, { error: 'invalid_client', error_description: 'unknown client_id' }));

    // Act
    const err = await failure(rotateAccessToken(options()));

    // Assess
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({
      name: 'OAuthError',
      message: 'invalid_client: unknown client_id',
      reason: 'rejected',
      status: 400,
      code: 'invalid_client',
    });
    expect(ssm.get(TOKEN_PARAM)).toBe('old-token');
  });

  it.each<[string, OAuthReply, OAuthError['reason'], string]>([
    ['a body that is not JSON', { status: 200, body: 'ok' }, 'malformed', 'not a JSON object'],
    ['a JSON array', json(200, [granted]), 'malformed', 'not a JSON object'],
    ['no access_token', json(200, { expires_in: 2592000 }), 'malformed', 'access_token is missing'],
    [
      'an empty access_token',
      json(200, { access_token: '', expires_in: 2592000 }),
      'malformed',
      'access_token',
    ],
    ['no expires_in', json(200, { access_token: 'tok' }), 'malformed', 'expires_in'],
    ['an HTML gateway error', { status: 502, body: '<html>Bad Gateway</html>' }, 'http', 'HTTP 502'],
    ['an HTTP 500 without an error body', json(500, {}), 'http', 'HTTP 500'],
  ])('throws OAuthError on %s and keeps the old token', async (_case, reply, reason, message) => {
    oauth.reply(reply);

    const err = await failure(rotateAccessToken(options()));

    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ reason });
    expect(err.message).toContain(message);
    expect(ssm.get(TOKEN_PARAM)).toBe('old-token');
  });

  it('throws OAuthError on a timeout', async () => {
    oauth.reply('hang');

    const err = await failure(rotateAccessToken(options({ timeoutMs: 100 })));

    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ reason: 'timeout', message: 'OAuth token request: no reply within 100 ms' });
    expect(ssm.get(TOKEN_PARAM)).toBe('old-token');
  });

  it('throws OAuthError when nothing listens', async () => {
    const gone = oauth.url;
    await oauth.stop();
    oauth = await startFakeOAuth(granted);

    const err = await failure(rotateAccessToken(options({ oauthBaseUrl: gone })));

    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ reason: 'network' });
  });

  it('throws ParameterStoreError naming the AppSecret parameter when it is missing, without calling Baidu', async () => {
    const err = await failure(rotateAccessToken(options({ appSecretParam: '/swan-order-sync/test/nope' })));

    expect(err).toBeInstanceOf(ParameterStoreError);
    expect(err.message).toBe(
      'cannot read SSM parameter /swan-order-sync/test/nope: ParameterNotFound: Parameter /swan-order-sync/test/nope not found.',
    );
    expect(oauth.requests).toEqual([]);
  });

  describe('never shows the AppSecret', () => {
    // Every row has all three cells: jest treats a test function with more parameters than cells as done-style.
    const leaks: [string, OAuthReply, Partial<RotateAccessTokenOptions>][] = [
      ['a refusal', json(400, { error: 'invalid_client', error_description: 'unknown client_id' }), {}],
      [
        'a refusal that echoes the secret',
        json(400, { error: 'x', error_description: `bad ${APP_SECRET}` }),
        {},
      ],
      [
        'a refusal that echoes it URL-encoded',
        json(400, { error: 'x', error_description: `bad ${encodeURIComponent(APP_SECRET)}` }),
        {},
      ],
      ['a body that is not JSON', { status: 200, body: `client_secret=${APP_SECRET}` }, {}],
      ['an HTTP error', { status: 503, body: APP_SECRET }, {}],
      ['no access_token', json(200, { client_secret: APP_SECRET }), {}],
      ['a timeout', 'hang', { timeoutMs: 100 }],
    ];

    it.each(leaks)('on %s', async (_case, reply, override) => {
      oauth.reply(reply);

      const err = await failure(rotateAccessToken(options(override)));

      expect(err).toBeInstanceOf(OAuthError);
      const shown = everythingShown(err);
      expect(shown).not.toContain(APP_SECRET);
      expect(shown).not.toContain(encodeURIComponent(APP_SECRET));
      expect(shown).not.toContain(new URLSearchParams({ s: APP_SECRET }).toString().slice(2));
    });

    it('when a fetch implementation puts the URL in its error', async () => {
      const leakyFetch: typeof fetch = async (input) => {
        throw new TypeError(`request to ${String(input)} failed`);
      };

      const err = await failure(rotateAccessToken(options({ fetch: leakyFetch })));

      expect(err).toMatchObject({ name: 'OAuthError', reason: 'network' });
      expect(err.message).toContain('client_id=swan-app-key-42');
      expect(everythingShown(err)).not.toContain(new URLSearchParams({ s: APP_SECRET }).toString().slice(2));
    });
  });
});

describe('rotateAccessToken, with a mocked SSM client', () => {
  let mocked: SSMClient;
  let ssmMock: ReturnType<typeof mockClient>;
  let oauth: FakeOAuth;

  beforeEach(async () => {
    mocked = new SSMClient({ region: 'us-east-1' });
    ssmMock = mockClient(mocked);
    oauth = await startFakeOAuth(json(200, { access_token: 'the-new-token', expires_in: '2592000' }));
  });

  afterEach(async () => {
    ssmMock.restore();
    mocked.destroy();
    await oauth.stop();
  });

  const run = (): Promise<unknown> =>
    rotateAccessToken({
      ssm: mocked,
      fetch,
      oauthBaseUrl: oauth.url,
      appKey: APP_KEY,
      appSecretParam: SECRET_PARAM,
      accessTokenParam: TOKEN_PARAM,
    });

  it('reads with decryption, writes SecureString with Overwrite, and accepts expires_in as a string', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: SECRET_PARAM, Value: `${APP_SECRET}\n` } });
    ssmMock.on(PutParameterCommand).resolves({ Version: 3 });

    await expect(run()).resolves.toMatchObject({ expiresIn: 2592000 });

    expect(ssmMock.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: SECRET_PARAM,
      WithDecryption: true,
    });
    expect(ssmMock.commandCalls(PutParameterCommand)[0]?.args[0].input).toEqual({
      Name: TOKEN_PARAM,
      Value: 'the-new-token',
      Type: 'SecureString',
      Overwrite: true,
    });
    expect(oauth.requests[0]!.searchParams.get('client_secret')).toBe(APP_SECRET);
  });

  it('throws ParameterStoreError on an empty AppSecret', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: SECRET_PARAM, Value: '' } });

    await expect(run()).rejects.toMatchObject({
      name: 'ParameterStoreError',
      message: `cannot read SSM parameter ${SECRET_PARAM}: the parameter is empty`,
    });
    expect(oauth.requests).toEqual([]);
  });

  it('keeps the token out of a failed write, even when SSM echoes it', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: SECRET_PARAM, Value: APP_SECRET } });
    const echo = Object.assign(new Error("Value 'the-new-token' at 'value' failed to satisfy constraint"), {
      name: 'ValidationException',
    });
    ssmMock.on(PutParameterCommand).rejects(echo);

    const err = await failure(run() as Promise<unknown>);

    expect(err).toBeInstanceOf(ParameterStoreError);
    expect(err.message).toBe(
      `cannot write SSM parameter ${TOKEN_PARAM}: ValidationException: Value '***' at 'value' failed to satisfy constraint`,
    );
    expect(everythingShown(err)).not.toContain('the-new-token');
  });
});

describe('rotateAccessToken options', () => {
  const valid: RotateAccessTokenOptions = {
    ssm: { send: jest.fn() },
    fetch: jest.fn(),
    appKey: APP_KEY,
    appSecretParam: SECRET_PARAM,
    accessTokenParam: TOKEN_PARAM,
  };

  it.each<[string, Partial<Record<keyof RotateAccessTokenOptions, unknown>>, string]>([
    ['appKey empty', { appKey: '' }, 'appKey'],
    ['appSecretParam missing', { appSecretParam: undefined }, 'appSecretParam'],
    ['accessTokenParam blank', { accessTokenParam: ' ' }, 'accessTokenParam'],
    ['oauthBaseUrl not a URL', { oauthBaseUrl: 'openapi.baidu.com' }, 'oauthBaseUrl'],
    ['oauthBaseUrl not http', { oauthBaseUrl: 'ftp://openapi.baidu.com' }, 'oauthBaseUrl'],
    ['timeoutMs zero', { timeoutMs: 0 }, 'timeoutMs'],
    ['timeoutMs infinite', { timeoutMs: Number.POSITIVE_INFINITY }, 'timeoutMs'],
    ['fetch missing', { fetch: undefined }, 'fetch'],
  ])('refuses %s, naming the field, before any I/O', async (_case, override, field) => {
    const opts = { ...valid, ...override } as RotateAccessTokenOptions;

    const err = await failure(rotateAccessToken(opts));

    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toContain(`${field}: must be`);
    expect(valid.ssm.send).not.toHaveBeenCalled();
  });
});
