import { BadCursorError, decodeCursor, encodeCursor } from '../ledger/dynamo-ledger';
import type { Ledger, LedgerItem, PaidByQuery, RecordedAnomaly } from '../ledger/types';
import { project } from '../projection';
import { planPush, type PlannedCall } from '../sync/plan';
import { InvalidInputError } from '../validation';
import { refundAuditReport, type RefundAuditEntry } from './refund-audit';

/** Orders per reply of an operator command: a reply never holds a whole queue or table. */
export const OPERATOR_PAGE_SIZE = 100;

/** One page of an operator command's answer; `cursor` (absent on the last page) asks for the next. */
export interface Paged {
  cursor?: string;
}

/** A cursor an operator mistyped is bad input naming `cursor`, not a failure of the service. */
async function operatorInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof BadCursorError)) throw err;
    throw new InvalidInputError([{ path: 'cursor', message: err.message }], 'invalid reconcile command');
  }
}

export interface PlannedPush {
  orderId: string;
  syncState: LedgerItem['syncState'] | 'missing';
  /** the calls a push would make now; empty when nothing is to be sent */
  calls: PlannedCall[];
  /** why nothing can be sent yet */
  blockedBy?: 'no-snapshot' | 'invalid-facts';
}

/** What reconcile would send now, for the orders named or a page of the due ones: no call, no write. */
export async function dryRun(
  ledger: Ledger,
  bizAppId: string,
  options: { orderIds?: readonly string[]; force?: boolean; now: number; cursor?: string },
): Promise<{ orders: PlannedPush[] } & Paged> {
  let ids: string[];
  let cursor: string | undefined;
  if (options.orderIds) ids = [...options.orderIds];
  else {
    const page = await operatorInput(() =>
      ledger.queryQueue('pending', { dueBy: options.now, limit: OPERATOR_PAGE_SIZE, cursor: options.cursor }),
    );
    ids = page.entries.map((e) => e.orderId);
    cursor = page.cursor;
  }
  const out: PlannedPush[] = [];
  for (const orderId of ids) {
    const item = await ledger.get(orderId);
    if (!item) {
      out.push({ orderId, syncState: 'missing', calls: [] });
      continue;
    }
    let projection: ReturnType<typeof project>;
    try {
      projection = project(orderId, item.facts, { bizAppId });
    } catch {
      out.push({ orderId, syncState: item.syncState, calls: [], blockedBy: 'invalid-facts' });
      continue;
    }
    if (!projection.ready)
      out.push({ orderId, syncState: item.syncState, calls: [], blockedBy: 'no-snapshot' });
    else
      out.push({ orderId, syncState: item.syncState, calls: planPush(item.ack, projection.view, options) });
  }
  return { orders: out, cursor };
}

/** Puts dead orders (the ones named, or a page of all) back to pending, due now. Returns the ones revived. */
export async function revive(
  ledger: Ledger,
  options: { orderIds?: readonly string[]; cursor?: string } = {},
): Promise<{ revived: string[] } & Paged> {
  let ids: string[];
  let cursor: string | undefined;
  if (options.orderIds) ids = [...options.orderIds];
  else {
    const page = await operatorInput(() =>
      ledger.queryQueue('dead', { limit: OPERATOR_PAGE_SIZE, cursor: options.cursor }),
    );
    ids = page.entries.map((e) => e.orderId);
    cursor = page.cursor;
  }
  const revived: string[] = [];
  for (const orderId of ids) if (await ledger.revive(orderId)) revived.push(orderId);
  return cursor ? { revived, cursor } : { revived };
}

export interface ProblemOrder {
  orderId: string;
  syncState: 'failed' | 'dead';
  attempts: number;
  lastError?: LedgerItem['lastError'];
}

export interface WaitingOrder {
  orderId: string;
  /** a cashier payment notify came, the merchant's snapshot never did */
  paidByCashier: boolean;
  /** epoch ms when the first fact was recorded */
  since: number;
}

export interface Report extends Paged {
  problems: ProblemOrder[];
  waiting: WaitingOrder[];
  /** orders whose facts hold something a person should look at (e.g. a cashier amount that differs) */
  anomalies: { orderId: string; anomalies: RecordedAnomaly[] }[];
  /** every answer given to Baidu's refund audit: what it asked, what we answered, why (docs/contract.md section 5b) */
  refundAudits: RefundAuditEntry[];
  /** orders whose payment the cashier's query found, its notify never having come (docs/contract.md section 5c) */
  paidByQuery: PaidByQuery[];
}

/** The report's sections, in the order its pages walk them. */
const SECTIONS = ['failed', 'dead', 'waiting', 'anomalies'] as const;

interface ReportCursor {
  s: number;
  c?: string;
}

const isReportCursor = (value: unknown): value is ReportCursor =>
  typeof value === 'object' &&
  value !== null &&
  Number.isInteger((value as ReportCursor).s) &&
  (value as ReportCursor).s >= 0 &&
  (value as ReportCursor).s < SECTIONS.length &&
  ((value as ReportCursor).c === undefined || typeof (value as ReportCursor).c === 'string');

/**
 * A page of the report: failed and dead orders with their last error, orders still waiting for a
 * snapshot, and orders with anomalies, section after section, about OPERATOR_PAGE_SIZE orders a page.
 */
export async function report(
  ledger: Ledger,
  bizAppId: string,
  options: { cursor?: string } = {},
): Promise<Report> {
  const given = options.cursor;
  // Refund audits (issue 17's full scan) come with the first page, whole.
  const out: Report = {
    problems: [],
    waiting: [],
    anomalies: [],
    refundAudits: given ? [] : await refundAuditReport(ledger),
    // Orders the payment check found paid (a full scan, as the audits): with the first page, whole.
    paidByQuery: given ? [] : await ledger.listPaidByQuery(),
  };
  let at: ReportCursor = given
    ? await operatorInput(async () => decodeCursor(given, isReportCursor))
    : { s: 0 };
  const size = () => out.problems.length + out.waiting.length + out.anomalies.length;
  for (let section = SECTIONS[at.s]; section && size() < OPERATOR_PAGE_SIZE; section = SECTIONS[at.s]) {
    const limit = OPERATOR_PAGE_SIZE - size();
    let next: string | undefined;
    if (section === 'anomalies') {
      const cursor = at.c;
      const page = await operatorInput(() => ledger.listAnomalies({ limit, cursor }));
      out.anomalies.push(...page.orders);
      next = page.cursor;
    } else {
      const cursor = at.c;
      const page = await operatorInput(() => ledger.queryQueue(section, { limit, cursor }));
      next = page.cursor;
      for (const e of page.entries) {
        if (section !== 'waiting') {
          out.problems.push({
            orderId: e.orderId,
            syncState: section,
            attempts: e.attempts ?? 0,
            lastError: e.lastError,
          });
          continue;
        }
        const item = await ledger.get(e.orderId);
        if (!item) continue;
        const projection = project(e.orderId, item.facts, { bizAppId });
        if (!projection.ready)
          out.waiting.push({
            orderId: e.orderId,
            paidByCashier: projection.paidByCashier,
            since: item.createdAt,
          });
      }
    }
    at = next ? { s: at.s, c: next } : { s: at.s + 1 };
  }
  if (at.s < SECTIONS.length) out.cursor = encodeCursor(at);
  return out;
}
