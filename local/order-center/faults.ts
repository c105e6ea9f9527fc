import type { CallName } from './api';
import { InvalidOptionsError, type FieldIssue } from './model';

/** The faults a test or a demo can script, one request at a time or by rate. */
export type ScriptedFault =
  | '5xx'
  | 'busy'
  | 'hang'
  | 'rows0'
  | 'token-expired'
  | 'param'
  /** the call quota is spent (error_code 18, or errno 50029) */
  | 'quota'
  /** an errno Baidu does not document */
  | 'unknown-code';
export const SCRIPTED_FAULTS: readonly ScriptedFault[] = [
  '5xx',
  'busy',
  'hang',
  'rows0',
  'token-expired',
  'param',
  'quota',
  'unknown-code',
];

export interface FaultSettings {
  /** 0..1: answer HTTP 502/503 with a non-JSON or gateway body, no change applied */
  http5xxRate: number;
  /** 0..1: answer 200 {errno: 1000 | 500 | 5000, msg: 'busy'}, no change applied */
  busyRate: number;
  /** added before every answer on Baidu's surface */
  latencyMs: number;
  /** 0..1: never answer (until stop()); no change applied */
  hangRate: number;
  /** 0..1: on calls that need an existing order, answer errno 0 with rows_affected "0" and apply nothing */
  rowsAffectedZeroRate: number;
  /** consumed one per request to a call path, before the rates apply */
  failNext: ScriptedFault[];
  /** default Math.random; tests pass a seeded one */
  random: () => number;
}

/** The part of FaultSettings that travels as JSON (POST /__faults). */
export type FaultPatch = Partial<Omit<FaultSettings, 'random'>>;

const RATE_FIELDS = ['http5xxRate', 'busyRate', 'hangRate', 'rowsAffectedZeroRate'] as const;

export function defaultFaults(): FaultSettings {
  return {
    http5xxRate: 0,
    busyRate: 0,
    latencyMs: 0,
    hangRate: 0,
    rowsAffectedZeroRate: 0,
    failNext: [],
    random: Math.random,
  };
}

function rateIssue(field: string, value: unknown): FieldIssue | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1) return undefined;
  return { path: field, message: 'must be a number from 0 to 1' };
}

function failNextIssues(value: unknown): FieldIssue[] {
  if (!Array.isArray(value)) return [{ path: 'failNext', message: 'must be an array' }];
  return value.flatMap((fault, i) =>
    SCRIPTED_FAULTS.includes(fault as ScriptedFault)
      ? []
      : [{ path: `failNext[${i}]`, message: `must be one of ${SCRIPTED_FAULTS.join(', ')}` }],
  );
}

/** Checks a fault patch field by field; throws InvalidOptionsError naming every bad field. */
export function parseFaultPatch(input: unknown, { allowRandom = false } = {}): Partial<FaultSettings> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidOptionsError([{ path: '', message: 'must be a JSON object' }], 'invalid fault settings');
  }
  const issues: FieldIssue[] = [];
  for (const [field, value] of Object.entries(input)) {
    if ((RATE_FIELDS as readonly string[]).includes(field)) {
      const issue = rateIssue(field, value);
      if (issue) issues.push(issue);
    } else if (field === 'latencyMs') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        issues.push({ path: field, message: 'must be a number of milliseconds, 0 or more' });
      }
    } else if (field === 'failNext') {
      issues.push(...failNextIssues(value));
    } else if (field === 'random' && allowRandom) {
      if (typeof value !== 'function') issues.push({ path: field, message: 'must be a function' });
    } else {
      issues.push({ path: field, message: 'is not a fault setting' });
    }
  }
  if (issues.length > 0) throw new InvalidOptionsError(issues, 'invalid fault settings');
  const patch = input as Partial<FaultSettings>;
  return patch.failNext ? { ...patch, failNext: [...patch.failNext] } : { ...patch };
}

/** The JSON view of the settings (the random source is not data). */
export function faultSnapshot(settings: FaultSettings): FaultPatch {
  const { random: _random, ...rest } = settings;
  return { ...rest, failNext: [...rest.failNext] };
}

/** Calls that touch an existing order: the only ones Baidu can answer rows_affected "0". */
function needsExistingOrder(call: CallName): boolean {
  return call !== 'add/main/info';
}

function rolls(settings: FaultSettings, rate: number): boolean {
  // Drawing only for a non-zero rate keeps a seeded sequence aligned with the faults actually in play.
  return rate > 0 && settings.random() < rate;
}

/**
 * Picks the fault for one request to a call path: the next scripted one (consumed), else one drawn by rate.
 * Mutates settings.failNext.
 */
export function pickFault(settings: FaultSettings, call: CallName): ScriptedFault | undefined {
  const scripted = settings.failNext.shift();
  if (scripted) return scripted;
  if (rolls(settings, settings.http5xxRate)) return '5xx';
  if (rolls(settings, settings.hangRate)) return 'hang';
  if (rolls(settings, settings.busyRate)) return 'busy';
  if (needsExistingOrder(call) && rolls(settings, settings.rowsAffectedZeroRate)) return 'rows0';
  return undefined;
}

/** Picks one of several equivalent answers (busy errnos, 5xx shapes) with the settings' random source. */
export function pickOne<T>(settings: FaultSettings, options: readonly T[]): T {
  const index = Math.min(options.length - 1, Math.floor(settings.random() * options.length));
  return options[index] as T;
}
