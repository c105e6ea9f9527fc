import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrderCenter } from '../../local/order-center';
import {
  CALL_PATHS,
  type CallBodies,
  type OrderCenterCall,
  type OrderData,
  type SubInfoItem,
  type SubStatusItem,
} from '../../lib/order-center/types';

/** The BizAPPID of the page's examples, so they run as published. */
export const APP = { appKey: 'a392qXwK8L5GDUWhFoC01cKwoy7tmehg', appSecret: 'local-test-app-secret' };
export const OTHER_APP = { appKey: 'IGRshW1EovxlMIoeLXQZkQiGcGGyjsPX', appSecret: 'other-test-app-secret' };
export const OPEN_ID = 'k9sXcA0PL_open_id_1';
export const T0 = 1_764_316_800;

/** A test clock in Unix seconds. */
export function testClock(start = T0): { now: () => number; advance: (seconds: number) => void } {
  let current = start;
  return { now: () => current, advance: (seconds) => (current += seconds) };
}

function readPage<T>(name: string): T {
  return JSON.parse(
    readFileSync(join(__dirname, '../fixtures/order-center', `${name}.page.json`), 'utf8'),
  ) as T;
}

/**
 * The page's examples with what its README says must be adapted: real SubStatus values instead of "" and 0,
 * and Data wrapped in an array for the sub-order calls. Nothing else is touched.
 */
export const page = {
  reply: () => readPage<{ errno: number; msg: string; data: Record<string, unknown>[] }>('reply'),
  addMainInfo(): CallBodies['add/main/info'] {
    const [item] = readPage<{ Data: [OrderData] }>('add-main-info').Data;
    const subs = item.EXT.SubsOrder!;
    const Items = subs.Items.map((sub) => ({ ...sub, SubStatus: 400 as const }));
    return { Data: [{ ...item, EXT: { ...item.EXT, SubsOrder: { Status: 400, Items } } }] };
  },
  updateMainInfo: () => readPage<CallBodies['update/main/info']>('update-main-info'),
  updateMainStatus: () => readPage<CallBodies['update/main/status']>('update-main-status'),
  appendSubInfo(): CallBodies['append/sub/info'] {
    const item = readPage<{ Data: SubInfoItem }>('append-sub-info').Data;
    const Items = item.EXT.SubsOrder.Items.map((sub) => ({ ...sub, SubStatus: 400 as const }));
    return { Data: [{ ...item, EXT: { SubsOrder: { Status: 400, Items } } }] };
  },
  updateSubStatus(): CallBodies['update/sub/status'] {
    const item = readPage<{ Data: SubStatusItem }>('update-sub-status').Data;
    const Items = item.EXT.SubsOrder.Items.map((sub) => ({ ...sub, SubStatus: 401 as const }));
    return { Data: [{ ...item, EXT: { SubsOrder: { Status: 401, Items } } }] };
  },
};

/** The page's add/main/info order under another id and status, without after-sale data. */
export function mainOrder(overrides: Partial<OrderData> = {}): OrderData {
  const [item] = page.addMainInfo().Data;
  const { SubsOrder: _subs, ...ext } = item.EXT;
  return { ...item, EXT: ext, ...overrides };
}

export interface CallResult {
  status: number;
  json: Record<string, unknown> & { data?: Record<string, unknown>[] };
}

export interface CallOptions {
  /** null leaves it out; default a fresh valid token */
  token?: string | null;
  /** null leaves it out; default OPEN_ID */
  openId?: string | null;
  query?: Record<string, string>;
  path?: string;
}

export function callUrl(center: LocalOrderCenter, call: OrderCenterCall, opts: CallOptions = {}): string {
  const url = new URL(opts.path ?? CALL_PATHS[call], center.url);
  const token = opts.token === undefined ? center.issueToken() : opts.token;
  const openId = opts.openId === undefined ? OPEN_ID : opts.openId;
  if (token !== null) url.searchParams.set('access_token', token);
  if (openId !== null) url.searchParams.set('open_id', openId);
  for (const [key, value] of Object.entries(opts.query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

/** POSTs a body (an object as JSON, a string as it is) to a call path. */
export async function callCenter(
  center: LocalOrderCenter,
  call: OrderCenterCall,
  body: unknown,
  opts: CallOptions = {},
): Promise<CallResult> {
  const res = await fetch(callUrl(center, call, opts), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as CallResult['json'] };
}

export function rows(result: CallResult): unknown[] {
  return (result.json.data ?? []).map((item) => item.rows_affected);
}

export async function getJson<T>(center: LocalOrderCenter, path: string): Promise<T> {
  const res = await fetch(`${center.url}${path}`);
  return (await res.json()) as T;
}

export async function postJson(
  center: LocalOrderCenter,
  path: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${center.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
