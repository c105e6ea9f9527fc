import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { createLocalSsmClient, startLocalSsm, type LocalSsm } from '../../local/ssm';

/** The SDK's rejection, for assertions on its name and status. */
async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

async function rawCall(
  url: string,
  init: RequestInit,
): Promise<{ status: number; body: unknown; type: string | null }> {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json(), type: response.headers.get('content-type') };
}

describe('local SSM stand-in, through the real SSM client', () => {
  let ssm: LocalSsm;
  let client: SSMClient;

  beforeEach(async () => {
    ssm = await startLocalSsm({
      parameters: {
        '/app/secret': { value: 'top-secret-value' },
        '/app/plain': { value: 'plain-value', type: 'String' },
      },
    });
    client = createLocalSsmClient(ssm.url);
  });

  afterEach(async () => {
    client.destroy();
    await ssm.stop();
  });

  it('listens on 127.0.0.1 on a free port', () => {
    expect(ssm.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ssm.url).not.toMatch(/:0$/);
  });

  it('returns a String parameter with every reply field', async () => {
    // Prepare
    const before = Date.now();
    await client.send(new PutParameterCommand({ Name: '/app/new', Value: 'v1', Type: 'String' }));

    // Act
    const { Parameter } = await client.send(new GetParameterCommand({ Name: '/app/new' }));

    // Assess
    expect(Parameter).toEqual({
      Name: '/app/new',
      Type: 'String',
      Value: 'v1',
      Version: 1,
      LastModifiedDate: expect.any(Date),
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/new',
      DataType: 'text',
    });
    expect(Parameter!.LastModifiedDate!.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(Parameter!.LastModifiedDate!.getTime()).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('decrypts a SecureString only WithDecryption', async () => {
    // Act
    const decrypted = await client.send(
      new GetParameterCommand({ Name: '/app/secret', WithDecryption: true }),
    );
    const encrypted = await client.send(new GetParameterCommand({ Name: '/app/secret' }));

    // Assess
    expect(decrypted.Parameter).toMatchObject({ Type: 'SecureString', Value: 'top-secret-value' });
    expect(encrypted.Parameter?.Type).toBe('SecureString');
    expect(encrypted.Parameter?.Value).toEqual(expect.any(String));
    expect(encrypted.Parameter?.Value).not.toContain('top-secret-value');
    expect(encrypted.Parameter?.Value).toBe(Buffer.from('kms:top-secret-value').toString('base64'));
  });

  it('returns a String as it is, with or without WithDecryption', async () => {
    const plain = await client.send(new GetParameterCommand({ Name: '/app/plain', WithDecryption: false }));
    const decrypted = await client.send(
      new GetParameterCommand({ Name: '/app/plain', WithDecryption: true }),
    );

    expect(plain.Parameter?.Value).toBe('plain-value');
    expect(decrypted.Parameter?.Value).toBe('plain-value');
  });

  it('fails GetParameter of a missing name with ParameterNotFound on the client side', async () => {
    const err = await failure(client.send(new GetParameterCommand({ Name: '/app/missing' })));

    expect(err).toBeInstanceOf(ParameterNotFound);
    expect(err.name).toBe('ParameterNotFound');
    expect(err.message).toContain('/app/missing');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('splits GetParameters into found and invalid names, decrypting on request', async () => {
    const reply = await client.send(
      new GetParametersCommand({
        Names: ['/app/secret', '/app/missing', '/app/plain'],
        WithDecryption: true,
      }),
    );

    expect(reply.Parameters?.map((p) => [p.Name, p.Type, p.Value])).toEqual([
      ['/app/secret', 'SecureString', 'top-secret-value'],
      ['/app/plain', 'String', 'plain-value'],
    ]);
    expect(reply.InvalidParameters).toEqual(['/app/missing']);
  });

  it('hides SecureString values from GetParameters without WithDecryption', async () => {
    const reply = await client.send(new GetParametersCommand({ Names: ['/app/secret'] }));

    expect(reply.Parameters?.[0]?.Value).not.toContain('top-secret-value');
  });

  it('refuses GetParameters of more than 10 names, as SSM does', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `/app/p${i}`);

    const err = await failure(client.send(new GetParametersCommand({ Names: names })));

    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain('Names');
  });

  it('creates with PutParameter, returning Version and Tier', async () => {
    const reply = await client.send(
      new PutParameterCommand({ Name: '/app/list', Value: 'a,b', Type: 'StringList' }),
    );

    expect(reply).toMatchObject({ Version: 1, Tier: 'Standard' });
    expect(ssm.get('/app/list')).toBe('a,b');
  });

  it('refuses to overwrite without Overwrite: ParameterAlreadyExists on the client side', async () => {
    const err = await failure(
      client.send(new PutParameterCommand({ Name: '/app/secret', Value: 'other', Type: 'SecureString' })),
    );

    expect(err).toBeInstanceOf(ParameterAlreadyExists);
    expect(err.name).toBe('ParameterAlreadyExists');
    expect(ssm.get('/app/secret')).toBe('top-secret-value');
  });

  it('overwrites with Overwrite, raising the version', async () => {
    const reply = await client.send(
      new PutParameterCommand({
        Name: '/app/secret',
        Value: 'rotated',
        Type: 'SecureString',
        Overwrite: true,
      }),
    );
    const read = await client.send(new GetParameterCommand({ Name: '/app/secret', WithDecryption: true }));

    expect(reply.Version).toBe(2);
    expect(read.Parameter).toMatchObject({ Value: 'rotated', Version: 2, Type: 'SecureString' });
  });

  it('keeps the type when an overwrite leaves Type out', async () => {
    await client.send(new PutParameterCommand({ Name: '/app/secret', Value: 'rotated', Overwrite: true }));

    const read = await client.send(new GetParameterCommand({ Name: '/app/secret' }));

    expect(read.Parameter?.Type).toBe('SecureString');
  });

  it.each([
    ['no Type for a new parameter', { Name: '/app/typeless', Value: 'v' }, 'Type'],
    ['an empty Value', { Name: '/app/empty', Value: '', Type: 'String' as const }, 'Value'],
  ])('refuses PutParameter with %s: ValidationException naming the field', async (_case, input, field) => {
    const err = await failure(client.send(new PutParameterCommand(input)));

    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain(field);
  });

  it('deletes with DeleteParameter, then reports the name missing', async () => {
    await client.send(new DeleteParameterCommand({ Name: '/app/plain' }));

    const err = await failure(client.send(new GetParameterCommand({ Name: '/app/plain' })));

    expect(err.name).toBe('ParameterNotFound');
    expect(ssm.get('/app/plain')).toBeUndefined();
  });

  it('fails DeleteParameter of a missing name with ParameterNotFound', async () => {
    const err = await failure(client.send(new DeleteParameterCommand({ Name: '/app/missing' })));

    expect(err.name).toBe('ParameterNotFound');
  });

  it('answers an operation it does not serve with InvalidAction on the client side', async () => {
    const err = await failure(client.send(new DescribeParametersCommand({})));

    expect(err.name).toBe('InvalidAction');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('records each request: operation and names, failures included', async () => {
    // Prepare
    ssm.clearRequests();

    // Act
    await client.send(new GetParameterCommand({ Name: '/app/plain' }));
    await client.send(new GetParametersCommand({ Names: ['/app/plain', '/app/secret'] }));
    await failure(client.send(new GetParameterCommand({ Name: '/app/missing' })));
    await client.send(new DeleteParameterCommand({ Name: '/app/plain' }));

    // Assess
    expect(ssm.requests).toEqual([
      { target: 'GetParameter', name: '/app/plain' },
      { target: 'GetParameters', names: ['/app/plain', '/app/secret'] },
      { target: 'GetParameter', name: '/app/missing' },
      { target: 'DeleteParameter', name: '/app/plain' },
    ]);
  });

  it('hands out a copy of the request log, and clears it', async () => {
    await client.send(new GetParameterCommand({ Name: '/app/plain' }));
    const snapshot = ssm.requests;
    snapshot.length = 0;

    expect(ssm.requests).toHaveLength(1);
    ssm.clearRequests();
    expect(ssm.requests).toEqual([]);
  });
});

describe('local SSM stand-in, raw HTTP', () => {
  let ssm: LocalSsm;

  beforeEach(async () => {
    ssm = await startLocalSsm();
  });

  afterEach(async () => {
    await ssm.stop();
  });

  const headers = (target?: string): Record<string, string> => ({
    'content-type': 'application/x-amz-json-1.1',
    ...(target ? { 'x-amz-target': target } : {}),
  });

  it.each([
    ['an unknown operation', 'AmazonSSM.SendCommand', '{}'],
    ['another service', 'DynamoDB_20120810.GetItem', '{}'],
    ['no X-Amz-Target header', undefined, '{}'],
  ])('answers %s with HTTP 400 InvalidAction', async (_case, target, body) => {
    const reply = await rawCall(ssm.url, { method: 'POST', headers: headers(target), body });

    expect(reply.status).toBe(400);
    expect(reply.type).toBe('application/x-amz-json-1.1');
    expect(reply.body).toEqual({ __type: 'InvalidAction', message: expect.any(String) });
  });

  it('answers GET with HTTP 400 InvalidAction', async () => {
    const reply = await rawCall(ssm.url, { method: 'GET' });

    expect(reply).toMatchObject({ status: 400, body: { __type: 'InvalidAction' } });
  });

  it('answers a body that is not JSON with SerializationException, and still records it', async () => {
    const reply = await rawCall(ssm.url, {
      method: 'POST',
      headers: headers('AmazonSSM.GetParameter'),
      body: '{"Name":',
    });

    expect(reply).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
    expect(ssm.requests).toEqual([{ target: 'GetParameter' }]);
  });

  it.each([
    ['Name missing', 'AmazonSSM.GetParameter', {}, 'Name'],
    ['Name not a string', 'AmazonSSM.GetParameter', { Name: 42 }, 'Name'],
    [
      'WithDecryption not a boolean',
      'AmazonSSM.GetParameter',
      { Name: '/x', WithDecryption: 'yes' },
      'WithDecryption',
    ],
    ['Names not an array', 'AmazonSSM.GetParameters', { Names: '/x' }, 'Names'],
    ['a Names entry empty', 'AmazonSSM.GetParameters', { Names: ['/x', ''] }, 'Names[1]'],
    ['Type unknown', 'AmazonSSM.PutParameter', { Name: '/x', Value: 'v', Type: 'Secret' }, 'Type'],
    ['Value not a string', 'AmazonSSM.PutParameter', { Name: '/x', Value: 1, Type: 'String' }, 'Value'],
  ])('answers %s with ValidationException naming the field', async (_case, target, body, field) => {
    const reply = await rawCall(ssm.url, {
      method: 'POST',
      headers: headers(target),
      body: JSON.stringify(body),
    });

    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      __type: 'ValidationException',
      message: expect.stringContaining(`${field}:`),
    });
  });
});

describe('local SSM stand-in, lifecycle and direct access', () => {
  it('defaults seeded and put parameters to SecureString', async () => {
    // Prepare
    const ssm = await startLocalSsm({ parameters: { '/seeded': { value: 's' } } });
    const client = createLocalSsmClient(ssm.url);
    ssm.put('/put', 'p');

    // Act
    const reply = await client.send(new GetParametersCommand({ Names: ['/seeded', '/put'] }));

    // Assess
    expect(reply.Parameters?.map((p) => p.Type)).toEqual(['SecureString', 'SecureString']);
    expect(ssm.requests).toEqual([{ target: 'GetParameters', names: ['/seeded', '/put'] }]);
    client.destroy();
    await ssm.stop();
  });

  it('raises the version when put() overwrites, and get() returns the plaintext', async () => {
    const ssm = await startLocalSsm();
    const client = createLocalSsmClient(ssm.url);
    ssm.put('/p', 'one', 'String');
    ssm.put('/p', 'two', 'String');

    const reply = await client.send(new GetParameterCommand({ Name: '/p' }));

    expect(reply.Parameter).toMatchObject({ Value: 'two', Version: 2 });
    expect(ssm.get('/p')).toBe('two');
    expect(ssm.get('/nope')).toBeUndefined();
    client.destroy();
    await ssm.stop();
  });

  it('refuses to seed an empty value, naming the parameter', async () => {
    await expect(startLocalSsm({ parameters: { '/empty': { value: '' } } })).rejects.toThrow(
      /cannot seed parameter "\/empty": Value/,
    );
  });

  it('is reached through AWS_ENDPOINT_URL_SSM, with no endpoint option', async () => {
    // Prepare
    const ssm = await startLocalSsm({ parameters: { '/via-env': { value: 'found', type: 'String' } } });
    const saved = process.env.AWS_ENDPOINT_URL_SSM;
    process.env.AWS_ENDPOINT_URL_SSM = ssm.url;
    const client = new SSMClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });

    try {
      // Act
      const reply = await client.send(new GetParameterCommand({ Name: '/via-env' }));

      // Assess
      expect(reply.Parameter?.Value).toBe('found');
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SSM;
      else process.env.AWS_ENDPOINT_URL_SSM = saved;
      client.destroy();
      await ssm.stop();
    }
  });

  it('stops: closes kept-alive connections, refuses new ones, and a second stop() is harmless', async () => {
    // Prepare
    const ssm = await startLocalSsm({ parameters: { '/p': { value: 'v', type: 'String' } } });
    const client = createLocalSsmClient(ssm.url);
    await client.send(new GetParameterCommand({ Name: '/p' }));

    // Act
    await ssm.stop();
    await ssm.stop();

    // Assess
    await expect(client.send(new GetParameterCommand({ Name: '/p' }))).rejects.toThrow();
    client.destroy();
  });
});
