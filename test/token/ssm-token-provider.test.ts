import { DeleteParameterCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createLocalSsmClient, startLocalSsm, type LocalSsm } from '../../local/ssm';
import { createSsmTokenProvider, DEFAULT_TOKEN_MAX_AGE_MS, TokenUnavailableError } from '../../lib/token';
import { InvalidInputError } from '../../lib/validation';

const PARAM = '/swan-order-sync/test/access-token';

/** A clock the test moves by hand. */
function manualClock(start = 1_764_316_800_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('createSsmTokenProvider, against the SSM stand-in', () => {
  let ssm: LocalSsm;
  let client: SSMClient;

  const getParameterCalls = (): number => ssm.requests.filter((r) => r.target === 'GetParameter').length;

  beforeEach(async () => {
    ssm = await startLocalSsm({ parameters: { [PARAM]: { value: 'token-1', type: 'SecureString' } } });
    client = createLocalSsmClient(ssm.url);
  });

  afterEach(async () => {
    client.destroy();
    await ssm.stop();
  });

  it('reads the SecureString decrypted', async () => {
    const provider = createSsmTokenProvider({ ssm: client, parameterName: PARAM });

    await expect(provider.getToken()).resolves.toBe('token-1');
    expect(ssm.requests).toEqual([{ target: 'GetParameter', name: PARAM }]);
  });

  it('does no I/O at construction', async () => {
    // Act
    createSsmTokenProvider({ ssm: client, parameterName: PARAM });
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Assess
    expect(ssm.requests).toEqual([]);
  });

  it('serves many calls within maxAge from one SSM request', async () => {
    // Prepare
    const clock = manualClock();
    const provider = createSsmTokenProvider({ ssm: client, parameterName: PARAM, now: clock.now });

    // Act
    const tokens: string[] = [];
    for (let i = 0; i < 10; i++) {
      tokens.push(await provider.getToken());
      clock.advance(DEFAULT_TOKEN_MAX_AGE_MS / 10 - 1);
    }

    // Assess
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(getParameterCalls()).toBe(1);
  });

  it('fetches again once maxAge has passed, and gets the new value', async () => {
    // Prepare
    const clock = manualClock();
    const provider = createSsmTokenProvider({
      ssm: client,
      parameterName: PARAM,
      maxAgeMs: 1_000,
      now: clock.now,
    });
    await provider.getToken();
    ssm.put(PARAM, 'token-2');

    // Act
    clock.advance(999);
    const beforeExpiry = await provider.getToken();
    clock.advance(1);
    const atExpiry = await provider.getToken();

    // Assess
    expect(beforeExpiry).toBe('token-1');
    expect(atExpiry).toBe('token-2');
    expect(getParameterCalls()).toBe(2);
  });

  it('defaults maxAge to 5 minutes', async () => {
    const clock = manualClock();
    const provider = createSsmTokenProvider({ ssm: client, parameterName: PARAM, now: clock.now });
    await provider.getToken();

    clock.advance(299_999);
    await provider.getToken();
    expect(getParameterCalls()).toBe(1);
    clock.advance(1);
    await provider.getToken();
    expect(getParameterCalls()).toBe(2);
  });

  it('makes exactly one GetParameter for 100 concurrent callers on a cold cache', async () => {
    const provider = createSsmTokenProvider({ ssm: client, parameterName: PARAM });

    const tokens = await Promise.all(Array.from({ length: 100 }, () => provider.getToken()));

    expect(tokens).toEqual(Array(100).fill('token-1'));
    expect(getParameterCalls()).toBe(1);
  });

  it('makes exactly one GetParameter for concurrent callers on an expired cache', async () => {
    const clock = manualClock();
    const provider = createSsmTokenProvider({
      ssm: client,
      parameterName: PARAM,
      maxAgeMs: 1_000,
      now: clock.now,
    });
    await provider.getToken();
    ssm.put(PARAM, 'token-2');
    clock.advance(1_000);

    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.getToken()));

    expect(tokens).toEqual(Array(50).fill('token-2'));
    expect(getParameterCalls()).toBe(2);
  });

  it('fetches at once after invalidate() of the current token', async () => {
    // Prepare
    const provider = createSsmTokenProvider({ ssm: client, parameterName: PARAM });
    const rejected = await provider.getToken();
    ssm.put(PARAM, 'token-2');

    // Act
    provider.invalidate(rejected);
    const next = await provider.getToken();

    // Assess
    expect(next).toBe('token-2');
    expect(getParameterCalls()).toBe(2);
  });

  it('keeps a newer token when a late caller invalidates a stale one', async () => {
    // Prepare: caller A holds token-1; caller B had it rejected first and the provider fetched token-2.
    const provider = createSsmTokenProvider({ ssm: client, parameterName: PARAM });
    const heldByA = await provider.getToken();
    ssm.put(PARAM, 'token-2');
    provider.invalidate(heldByA);
    await provider.getToken();

    // Act: A's rejection arrives late.
    provider.invalidate(heldByA);
    const next = await provider.getToken();

    // Assess
    expect(next).toBe('token-2');
    expect(getParameterCalls()).toBe(2);
  });

  it('fails with a named error naming the parameter, and does not cache the failure', async () => {
    // Prepare
    ssm.put(PARAM, 'unused');
    const missing = '/swan-order-sync/test/missing-token';
    const provider = createSsmTokenProvider({ ssm: client, parameterName: missing });

    // Act
    const first = await provider.getToken().catch((err: unknown) => err);
    ssm.put(missing, 'token-late');
    const second = await provider.getToken();

    // Assess
    expect(first).toBeInstanceOf(TokenUnavailableError);
    expect(first).toMatchObject({ name: 'TokenUnavailableError', parameter: missing });
    expect((first as Error).message).toContain(missing);
    expect((first as Error).message).toContain('ParameterNotFound');
    expect(second).toBe('token-late');
    expect(getParameterCalls()).toBe(2);
  });

  it('rejects every concurrent waiter of a failed fetch, after one request', async () => {
    const provider = createSsmTokenProvider({ ssm: client, parameterName: '/missing' });

    const results = await Promise.allSettled(Array.from({ length: 20 }, () => provider.getToken()));

    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof TokenUnavailableError)).toBe(
      true,
    );
    expect(getParameterCalls()).toBe(1);
  });

  it('never puts a token into the error when a refetch fails', async () => {
    const clock = manualClock();
    const provider = createSsmTokenProvider({
      ssm: client,
      parameterName: PARAM,
      maxAgeMs: 1_000,
      now: clock.now,
    });
    await provider.getToken();
    await client.send(new DeleteParameterCommand({ Name: PARAM }));
    clock.advance(1_000);

    const err = (await provider.getToken().catch((e: unknown) => e)) as Error;

    expect(err).toBeInstanceOf(TokenUnavailableError);
    expect(err.message).not.toContain('token-1');
  });

  it('surfaces an unreachable SSM on the first getToken(), not at construction', async () => {
    // Prepare: a port that was just freed.
    const gone = await startLocalSsm();
    await gone.stop();
    const unreachable = createLocalSsmClient(gone.url);

    // Act
    const provider = createSsmTokenProvider({ ssm: unreachable, parameterName: PARAM });
    const err = await provider.getToken().catch((e: unknown) => e);

    // Assess
    expect(err).toBeInstanceOf(TokenUnavailableError);
    expect((err as Error).message).toContain(PARAM);
    unreachable.destroy();
  });
});

describe('createSsmTokenProvider, with a mocked client', () => {
  // Mocks this one instance, not the class: the stand-in tests in this file use real clients.
  let mocked: SSMClient;
  let ssmMock: ReturnType<typeof mockClient>;

  beforeEach(() => {
    mocked = new SSMClient({ region: 'us-east-1' });
    ssmMock = mockClient(mocked);
  });

  afterEach(() => {
    ssmMock.restore();
    mocked.destroy();
  });

  it('asks for decryption', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: PARAM, Value: 'tok' } });
    const provider = createSsmTokenProvider({ ssm: mocked, parameterName: PARAM });

    await provider.getToken();

    expect(ssmMock.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: PARAM,
      WithDecryption: true,
    });
  });

  it.each([
    ['an empty value', { Parameter: { Name: PARAM, Value: '' } }],
    ['a blank value', { Parameter: { Name: PARAM, Value: ' \n' } }],
    ['no value', { Parameter: { Name: PARAM } }],
    ['no parameter', {}],
  ])('treats %s as unavailable, and retries on the next call', async (_case, reply) => {
    ssmMock
      .on(GetParameterCommand)
      .resolvesOnce(reply)
      .resolves({ Parameter: { Name: PARAM, Value: 'tok' } });
    const provider = createSsmTokenProvider({ ssm: mocked, parameterName: PARAM });

    await expect(provider.getToken()).rejects.toMatchObject({
      name: 'TokenUnavailableError',
      message: `access token unavailable: SSM parameter ${PARAM}: the parameter is empty`,
    });
    await expect(provider.getToken()).resolves.toBe('tok');
  });

  it('drops whitespace around the stored token', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: PARAM, Value: 'tok\n' } });
    const provider = createSsmTokenProvider({ ssm: mocked, parameterName: PARAM });

    await expect(provider.getToken()).resolves.toBe('tok');
  });

  it('leaves the cache alone on invalidate() of a token it never handed out', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: PARAM, Value: 'tok' } });
    const provider = createSsmTokenProvider({ ssm: mocked, parameterName: PARAM });
    await provider.getToken();

    provider.invalidate('something-else');
    await provider.getToken();

    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(1);
  });
});

describe('createSsmTokenProvider options', () => {
  const ssm = { send: jest.fn() };

  it.each([
    ['parameterName empty', { parameterName: '' }, 'parameterName'],
    ['parameterName blank', { parameterName: '  ' }, 'parameterName'],
    ['maxAgeMs zero', { maxAgeMs: 0 }, 'maxAgeMs'],
    ['maxAgeMs negative', { maxAgeMs: -1 }, 'maxAgeMs'],
    ['maxAgeMs NaN', { maxAgeMs: Number.NaN }, 'maxAgeMs'],
    ['ssm without send', { ssm: {} }, 'ssm'],
  ])('refuses %s, naming the field', (_case, override, field) => {
    const act = (): unknown =>
      createSsmTokenProvider({ ssm, parameterName: PARAM, ...override } as Parameters<
        typeof createSsmTokenProvider
      >[0]);

    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(`${field}: must be`);
  });

  it('accepts any positive maxAgeMs', () => {
    expect(() => createSsmTokenProvider({ ssm, parameterName: PARAM, maxAgeMs: 900_000 })).not.toThrow();
    expect(ssm.send).not.toHaveBeenCalled();
  });
});
