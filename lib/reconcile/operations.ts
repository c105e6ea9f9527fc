import type { Ledger, LedgerItem, QueueName, RecordedAnomaly } from '../ledger/types';
import { project } from '../projection';
import { plan, type PlannedCall } from '../sync/plan';
import { refundAuditReport, type RefundAuditEntry } from './refund-audit';

/** Every entry of a queue, page by page. */
async function* queue(ledger: Ledger, name: QueueName, dueBy?: number): AsyncGenerator<string> {
  let cursor: string | undefined;
  do {
    const page = await ledger.queryQueue(name, { dueBy, limit: 100, cursor });
    for (const entry of page.entries) yield entry.orderId;
    cursor = page.cursor;
  } while (cursor);
}

async function collect(ids: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const id of ids) out.push(id);
  return out;
}

export interface PlannedPush {
  orderId: string;
  syncState: LedgerItem['syncState'] | 'missing';
  /** the calls a push would make now; empty when nothing is to be sent */
  calls: PlannedCall[];
  /** why nothing can be sent yet */
  blockedBy?: 'no-snapshot' | 'invalid-facts';
}

/** What reconcile would send now, for the orders named or the due ones: no call, no write. */
export async function dryRun(
  ledger: Ledger,
  bizAppId: string,
  options: { orderIds?: readonly string[]; force?: boolean; now: number },
): Promise<PlannedPush[]> {
  const ids = options.orderIds ? [...options.orderIds] : await collect(queue(ledger, 'pending', options.now));
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
      out.push({ orderId, syncState: item.syncState, calls: plan(item.ack, projection.view.data, options) });
  }
  return out;
}

/** Puts dead orders (the ones named, or all) back to pending, due now. Returns the ones revived. */
export async function revive(ledger: Ledger, orderIds?: readonly string[]): Promise<string[]> {
  const ids = orderIds ? [...orderIds] : await collect(queue(ledger, 'dead'));
  const revived: string[] = [];
  for (const orderId of ids) if (await ledger.revive(orderId)) revived.push(orderId);
  return revived;
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

export interface Report {
  problems: ProblemOrder[];
  waiting: WaitingOrder[];
  /** orders whose facts hold something a person should look at (e.g. a cashier amount that differs) */
  anomalies: { orderId: string; anomalies: RecordedAnomaly[] }[];
  /** every answer given to Baidu's refund audit: what it asked, what we answered, why (docs/contract.md section 5b) */
  refundAudits: RefundAuditEntry[];
}

/** Failed and dead orders with their last error, and orders still waiting for a snapshot. */
export async function report(ledger: Ledger, bizAppId: string): Promise<Report> {
  const problems: ProblemOrder[] = [];
  for (const syncState of ['failed', 'dead'] as const) {
    let cursor: string | undefined;
    do {
      const page = await ledger.queryQueue(syncState, { limit: 100, cursor });
      for (const e of page.entries) {
        problems.push({ orderId: e.orderId, syncState, attempts: e.attempts ?? 0, lastError: e.lastError });
      }
      cursor = page.cursor;
    } while (cursor);
  }
  const waiting: WaitingOrder[] = [];
  for await (const orderId of queue(ledger, 'waiting')) {
    const item = await ledger.get(orderId);
    if (!item) continue;
    const projection = project(orderId, item.facts, { bizAppId });
    if (!projection.ready)
      waiting.push({ orderId, paidByCashier: projection.paidByCashier, since: item.createdAt });
  }
  return {
    problems,
    waiting,
    anomalies: await ledger.listAnomalies(),
    refundAudits: await refundAuditReport(ledger),
  };
}
