import { createServer, type AddressInfo, type Server } from 'node:net';
import { DEFAULT_PORTS, type ServicePorts } from '../../local/start/options';
import { asPortInUse, assertPortsFree, freePorts, PortInUseError } from '../../local/start/ports';

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('assertPortsFree', () => {
  let held: Server;
  let free: number[];

  beforeEach(async () => {
    held = await listen();
    free = await freePorts(5);
  });

  afterEach(async () => {
    await close(held);
  });

  const portsWith = (overrides: Partial<ServicePorts>): ServicePorts => ({
    orderCenter: free[0]!,
    ssm: free[1]!,
    dynamo: free[2]!,
    http: free[3]!,
    lambda: free[4]!,
    ...overrides,
  });

  it('resolves when every port is free, and leaves them free', async () => {
    // Prepare
    const ports = portsWith({});

    // Act
    await assertPortsFree(ports);

    // Assess: the check itself holds nothing afterwards.
    await expect(assertPortsFree(ports)).resolves.toBeUndefined();
  });

  it.each([
    ['http', 'LOCAL_HTTP_PORT', 'the HTTP API (serverless-offline)'],
    ['lambda', 'LOCAL_LAMBDA_PORT', 'the Lambda invoke endpoint (serverless-offline)'],
    ['orderCenter', 'LOCAL_ORDER_CENTER_PORT', 'the local Order Center'],
    ['ssm', 'LOCAL_SSM_PORT', 'the SSM stand-in'],
    ['dynamo', 'LOCAL_DYNAMO_PORT', 'DynamoDB (dynalite)'],
  ] as const)('a taken %s port fails with the port, its role and %s', async (name, envVar, role) => {
    // Prepare
    const port = portOf(held);

    // Act
    const failure = await assertPortsFree(portsWith({ [name]: port })).catch((err: unknown) => err);

    // Assess
    expect(failure).toBeInstanceOf(PortInUseError);
    const error = failure as PortInUseError;
    expect(error).toMatchObject({ name: 'PortInUseError', port, portName: name });
    expect(error.message).toContain(`port ${port} on 127.0.0.1 is in use`);
    expect(error.message).toContain(role);
    expect(error.message).toContain(`${envVar}=<another port> npm start`);
  });

  it('names every taken port at once, each with its role and its variable', async () => {
    // Prepare
    const second = await listen();
    const [a, b] = [portOf(held), portOf(second)];

    // Act
    const failure = await assertPortsFree(portsWith({ http: a, dynamo: b })).catch((err: unknown) => err);
    await close(second);

    // Assess
    expect(failure).toBeInstanceOf(PortInUseError);
    const error = failure as PortInUseError;
    expect(error.busy).toEqual([
      { port: b, portName: 'dynamo' },
      { port: a, portName: 'http' },
    ]);
    expect(error.message).toContain(
      `ports ${b} (DynamoDB (dynalite), LOCAL_DYNAMO_PORT), ${a} (the HTTP API`,
    );
    expect(error.message).toContain(
      'LOCAL_DYNAMO_PORT=<another port> LOCAL_HTTP_PORT=<another port> npm start',
    );
  });

  it('skips port 0 (any free port)', async () => {
    await expect(assertPortsFree({ ...portsWith({}), http: 0, lambda: 0 })).resolves.toBeUndefined();
  });
});

describe('asPortInUse', () => {
  const inUse = (port: number) =>
    Object.assign(new Error(`listen EADDRINUSE 127.0.0.1:${port}`), { code: 'EADDRINUSE', port });

  it('turns a listen failure on a known port into PortInUseError', () => {
    const mapped = asPortInUse(inUse(DEFAULT_PORTS.dynamo), DEFAULT_PORTS);

    expect(mapped).toBeInstanceOf(PortInUseError);
    expect((mapped as PortInUseError).message).toContain('LOCAL_DYNAMO_PORT');
  });

  it.each([
    ['another error', new Error('boom')],
    ['a port that is none of ours', inUse(9)],
    ['something thrown that is not an Error', 'text'],
  ])('leaves %s as it is', (_what, err) => {
    expect(asPortInUse(err, DEFAULT_PORTS)).toBe(err);
  });
});

describe('freePorts', () => {
  it('hands out distinct ports that can be listened on', async () => {
    // Act
    const ports = await freePorts(4);

    // Assess
    expect(new Set(ports).size).toBe(4);
    for (const port of ports) expect(port).toBeGreaterThan(0);
    await expect(
      assertPortsFree({
        orderCenter: ports[0]!,
        ssm: ports[1]!,
        dynamo: ports[2]!,
        http: ports[3]!,
        lambda: 0,
      }),
    ).resolves.toBeUndefined();
  });
});
