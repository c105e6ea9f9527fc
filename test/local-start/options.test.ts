import {
  DEFAULT_PORTS,
  DEFAULT_RECONCILE_MINUTES,
  reconcileRate,
  startOptionsFromEnv,
} from '../../local/start/options';
import { InvalidInputError } from '../../lib/validation';

function issuesOf(env: Record<string, string>) {
  try {
    startOptionsFromEnv(env);
  } catch (err) {
    if (err instanceof InvalidInputError) return err.issues;
    throw err;
  }
  throw new Error('startOptionsFromEnv accepted the environment');
}

describe('startOptionsFromEnv', () => {
  it('uses the fixed defaults when nothing is set', () => {
    // Prepare / Act
    const options = startOptionsFromEnv({});

    // Assess
    expect(options).toEqual({
      ports: { orderCenter: 4010, ssm: 4011, dynamo: 4012, http: 3000, lambda: 3002 },
      reconcileEveryMinutes: DEFAULT_RECONCILE_MINUTES,
      verbose: false,
    });
    expect(options.ports).toEqual(DEFAULT_PORTS);
  });

  it.each([
    ['LOCAL_HTTP_PORT', '8080', 'http', 8080],
    ['LOCAL_LAMBDA_PORT', ' 8082 ', 'lambda', 8082],
    ['LOCAL_ORDER_CENTER_PORT', '5010', 'orderCenter', 5010],
    ['LOCAL_SSM_PORT', '5011', 'ssm', 5011],
    ['LOCAL_DYNAMO_PORT', '65535', 'dynamo', 65535],
  ])('%s=%s moves that listener only', (name, value, port, expected) => {
    // Act
    const { ports } = startOptionsFromEnv({ [name]: value });

    // Assess
    expect(ports).toEqual({ ...DEFAULT_PORTS, [port]: expected });
  });

  it('treats an empty variable as unset', () => {
    expect(startOptionsFromEnv({ LOCAL_HTTP_PORT: '', LOCAL_RECONCILE_MINUTES: '  ' })).toEqual(
      startOptionsFromEnv({}),
    );
  });

  it.each([
    ['LOCAL_HTTP_PORT', 'abc'],
    ['LOCAL_HTTP_PORT', '0'],
    ['LOCAL_LAMBDA_PORT', '65536'],
    ['LOCAL_SSM_PORT', '40.5'],
    ['LOCAL_DYNAMO_PORT', '-1'],
    ['LOCAL_ORDER_CENTER_PORT', '0x10'],
    ['LOCAL_RECONCILE_MINUTES', '0'],
    ['LOCAL_RECONCILE_MINUTES', '60'],
    ['LOCAL_RECONCILE_MINUTES', 'often'],
    ['LOCAL_VERBOSE', 'yes'],
    ['LOCAL_VERBOSE', '2'],
  ])('refuses %s=%s, naming the variable and the value', (name, value) => {
    // Act
    const issues = issuesOf({ [name]: value });

    // Assess
    expect(issues).toEqual([{ path: name, message: expect.stringContaining(JSON.stringify(value)) }]);
  });

  it('names every wrong variable at once', () => {
    const issues = issuesOf({ LOCAL_HTTP_PORT: 'x', LOCAL_RECONCILE_MINUTES: '99' });

    expect(issues.map((issue) => issue.path)).toEqual(['LOCAL_HTTP_PORT', 'LOCAL_RECONCILE_MINUTES']);
  });

  it('refuses two listeners on one port, naming both variables', () => {
    // Act
    const issues = issuesOf({ LOCAL_SSM_PORT: '3000' });

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('LOCAL_SSM_PORT');
    expect(issues[0]!.path).toBe('LOCAL_HTTP_PORT');
  });

  it('does not blame a default for a port that could not be read', () => {
    // LOCAL_HTTP_PORT is unreadable: its fallback (3000) must not clash with LOCAL_SSM_PORT=3000 as well.
    const issues = issuesOf({ LOCAL_HTTP_PORT: 'x', LOCAL_SSM_PORT: '3000' });

    expect(issues.map((issue) => issue.path)).toEqual(['LOCAL_HTTP_PORT']);
  });

  it('reads the reconcile schedule in minutes', () => {
    expect(startOptionsFromEnv({ LOCAL_RECONCILE_MINUTES: '15' }).reconcileEveryMinutes).toBe(15);
  });

  it.each([
    ['1', true],
    ['0', false],
  ])('reads LOCAL_VERBOSE=%s as %s', (value, verbose) => {
    expect(startOptionsFromEnv({ LOCAL_VERBOSE: value }).verbose).toBe(verbose);
  });
});

describe('reconcileRate', () => {
  it.each([
    [1, 'rate(1 minute)'],
    [2, 'rate(2 minutes)'],
    [59, 'rate(59 minutes)'],
  ])('%i -> %s', (minutes, rate) => {
    expect(reconcileRate(minutes)).toBe(rate);
  });
});
