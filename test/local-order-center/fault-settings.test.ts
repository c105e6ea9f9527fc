import { InvalidOptionsError } from '../../local/order-center';
import {
  defaultFaults,
  faultSnapshot,
  parseFaultPatch,
  pickFault,
  type FaultSettings,
  type ScriptedFault,
} from '../../local/order-center';
import type { OrderCenterCall } from '../../lib/order-center/types';

/** A random source that yields the given draws and fails on one draw too many. */
function draws(...values: number[]): () => number {
  return () => {
    const next = values.shift();
    if (next === undefined) throw new Error('drew more random numbers than expected');
    return next;
  };
}

function issuePaths(act: () => unknown): string[] {
  try {
    act();
  } catch (err) {
    if (err instanceof InvalidOptionsError) return err.issues.map((i) => i.path);
    throw err;
  }
  throw new Error('expected an InvalidOptionsError');
}

function settings(overrides: Partial<FaultSettings>): FaultSettings {
  return { ...defaultFaults(), random: draws(), ...overrides };
}

describe('pickFault', () => {
  it.each<[string, Partial<FaultSettings>, OrderCenterCall, ScriptedFault | undefined]>([
    ['no fault and no draw when every rate is 0', {}, 'update/main/status', undefined],
    ['5xx', { http5xxRate: 0.5, random: draws(0.4) }, 'add/main/info', '5xx'],
    [
      'hang after a 5xx miss',
      { http5xxRate: 0.5, hangRate: 0.5, random: draws(0.6, 0.1) },
      'add/main/info',
      'hang',
    ],
    ['busy', { busyRate: 1, random: draws(0.99) }, 'append/sub/info', 'busy'],
    [
      'rows0 on a call that needs an existing order',
      { rowsAffectedZeroRate: 1, random: draws(0) },
      'update/sub/info',
      'rows0',
    ],
    ['never rows0 on add/main/info', { rowsAffectedZeroRate: 1 }, 'add/main/info', undefined],
    [
      'nothing when every draw misses',
      { http5xxRate: 0.1, busyRate: 0.1, random: draws(0.5, 0.5) },
      'add/main/info',
      undefined,
    ],
    ['the script before any rate', { http5xxRate: 1, failNext: ['param'] }, 'add/main/info', 'param'],
    ['a scripted rows0 even on add/main/info', { failNext: ['rows0'] }, 'add/main/info', 'rows0'],
  ])('picks %s', (_case, overrides, call, expected) => {
    // Prepare
    const faults = settings(overrides);
    // Act
    const fault = pickFault(faults, call);
    // Assess
    expect(fault).toBe(expected);
  });

  it('consumes the script one request at a time', () => {
    // Prepare
    const faults = settings({ failNext: ['busy', 'hang'] });
    // Act
    const picked = [
      pickFault(faults, 'add/main/info'),
      pickFault(faults, 'add/main/info'),
      pickFault(faults, 'add/main/info'),
    ];
    // Assess
    expect(picked).toEqual(['busy', 'hang', undefined]);
    expect(faults.failNext).toEqual([]);
  });
});

describe('parseFaultPatch', () => {
  it('accepts every setting and copies the script', () => {
    // Prepare
    const failNext: ScriptedFault[] = ['5xx', 'busy', 'hang', 'rows0', 'token-expired', 'param'];
    const input = {
      http5xxRate: 0,
      busyRate: 0.5,
      hangRate: 1,
      rowsAffectedZeroRate: 0.25,
      latencyMs: 20,
      failNext,
    };
    // Act
    const patch = parseFaultPatch(input);
    // Assess
    expect(patch).toEqual(input);
    expect(patch.failNext).not.toBe(failNext);
  });

  it.each([
    [{ busyRate: 1.5 }, 'busyRate'],
    [{ http5xxRate: -0.1 }, 'http5xxRate'],
    [{ hangRate: '0.5' }, 'hangRate'],
    [{ rowsAffectedZeroRate: null }, 'rowsAffectedZeroRate'],
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ latencyMs: Infinity }, 'latencyMs'],
    [{ failNext: 'busy' }, 'failNext'],
    [{ failNext: ['busy', 'explode'] }, 'failNext[1]'],
    [{ busy: 1 }, 'busy'],
    [{ random: () => 0 }, 'random'],
    [[], ''],
  ])('refuses %j naming %s', (input, path) => {
    // Act
    const paths = issuePaths(() => parseFaultPatch(input));
    // Assess
    expect(paths).toEqual([path]);
  });

  it('accepts a random source only when asked to (in-process setFaults)', () => {
    // Prepare
    const random = () => 0.5;
    // Act
    const patch = parseFaultPatch({ random }, { allowRandom: true });
    // Assess
    expect(patch.random).toBe(random);
  });

  it('snapshots settings as plain JSON data', () => {
    // Act
    const snapshot = faultSnapshot(settings({ busyRate: 0.5, failNext: ['hang'] }));
    // Assess
    expect(snapshot).toEqual({
      http5xxRate: 0,
      busyRate: 0.5,
      latencyMs: 0,
      hangRate: 0,
      rowsAffectedZeroRate: 0,
      failNext: ['hang'],
    });
  });
});
