import { randomUUID } from 'node:crypto';
import type { LedgerItem } from '../ledger/types';
import { OrderCenterError, OrderNotFoundError } from '../order-center/errors';
import { project, updateMainStatusBody, type OrderView } from '../projection';
import { planPush } from '../sync/plan';
import {
  finishStatusChange,
  projectionConfig,
  pushOrder,
  type SendOutcome,
  type SyncDependencies,
} from '../sync/push';
import { mapPool } from './pool';
import { countCall, emptySummary, tally, type ReconcileSummary } from './summary';

export interface ReconcileOptions {
  /** epoch ms at which the Lambda's time is up */
  deadline: number;
  /** no new lease when less than this is left (ms): the time to finish what is held; default 10 000 */
  reserveMs?: number;
  /** orders pushed at once; default 8 */
  concurrency?: number;
  /** orders of one user per update/main/status call; default 20 */
  batchSize?: number;
  /** due orders read per page; default 100, never more than concurrency x batchSize */
  pageSize?: number;
  /** drain this shard of the queue (a worker); absent: every shard, one after the other */
  shard?: number;
  /** push these orders now, due or not (operator) */
  orderIds?: readonly string[];
  /** resend them whole with add/main/info (operator, with orderIds) */
  force?: boolean;
  /** told once, after the first page, how long the oldest due order has waited (ms; 0 when none is due) */
  onOldestDue?: (ageMs: number) => void;
}

const defaults = { reserveMs: 10_000, concurrency: 8, batchSize: 20, pageSize: 100 };
/** Time kept at the end for the summary and for releasing leases. */
const WRAP_UP_MS = 2_000;

/** A status-only change of one order, leased, waiting to go out in its user's update/main/status batch. */
interface StatusChange {
  item: LedgerItem;
  /** the projection the change was planned from: its data is what the batch sends */
  view: OrderView;
}

/**
 * One reconcile worker run: streams through the due orders of its shard (or pushes the ones named) a page
 * at a time. Status-only changes of one user's orders go out together in update/main/status calls (open_id
 * is one query parameter, so a batch never mixes users) as soon as a batch is full or its page is done;
 * the rest are pushed one by one; `concurrency` at once. A page is at most concurrency x batchSize orders,
 * so that many at most are ever leased and unsent. No order is leased with less than `reserveMs` left,
 * and no call starts after the deadline: what is not taken stays due for the next run.
 */
export async function runReconcile(
  deps: SyncDependencies,
  options: ReconcileOptions,
): Promise<ReconcileSummary> {
  const o = { ...defaults, ...options };
  const pageSize = Math.max(1, Math.min(o.pageSize, o.concurrency * o.batchSize));
  const now = deps.now ?? (() => Date.now());
  const startedAt = now();
  const owner = `reconcile-${randomUUID()}`;
  const workDeadline = o.deadline - WRAP_UP_MS;
  const summary = emptySummary();
  const timeLeft = () => o.deadline - now() >= o.reserveMs;

  // The page's status-only changes, per user, until a batch is full or the page is done.
  const waitingBatches = new Map<string, StatusChange[]>();
  const taken = new Set<string>();

  if (o.orderIds) {
    await processPage([...new Set(o.orderIds)]);
  } else {
    let cursor: string | undefined;
    do {
      if (!timeLeft()) {
        summary.stoppedEarly = true;
        break;
      }
      // Due by the run's start: an order that fails and backs off during the run waits for the next one.
      const page = await deps.ledger.queryQueue('pending', {
        shard: o.shard,
        dueBy: startedAt,
        limit: pageSize,
        cursor,
      });
      // The shard's key is sorted by nextAttemptAt: the first page's first entry has waited longest.
      if (!cursor) o.onOldestDue?.(Math.max(0, startedAt - (page.entries[0]?.nextAttemptAt ?? startedAt)));
      await processPage(page.entries.map((e) => e.orderId));
      cursor = page.cursor;
    } while (cursor);
  }
  summary.durationMs = now() - startedAt;
  return summary;

  async function processPage(orderIds: string[]): Promise<void> {
    try {
      await mapPool(orderIds, o.concurrency, take);
    } finally {
      // The page is done (or the ledger failed): what it leased goes out now, one call per user at most,
      // `concurrency` at once, within the deadline; no order stays leased until its lease runs out.
      const batches = [...waitingBatches.values()];
      waitingBatches.clear();
      await mapPool(batches, o.concurrency, sendStatusBatch);
    }
  }

  async function take(orderId: string): Promise<void> {
    // An order whose next attempt moved while we paged can show up on a later page: take it once.
    if (taken.has(orderId)) return;
    if (!timeLeft()) {
      summary.stoppedEarly = true;
      return;
    }
    taken.add(orderId);
    summary.due += 1;
    let leased: LedgerItem | undefined;
    if (!o.force) {
      let lease: Awaited<ReturnType<typeof deps.ledger.acquireLease>>;
      try {
        lease = await deps.ledger.acquireLease(orderId, owner, o.deadline);
      } catch {
        tally(summary, { state: 'interrupted', calls: [] }); // still due: the next run takes it
        return;
      }
      if (lease === 'busy' || lease === 'missing') {
        tally(summary, { state: lease, calls: [] });
        return;
      }
      leased = lease;
      const change = statusOnly(leased);
      if (change) {
        // The worker that fills a user's batch sends it: calls in flight stay within `concurrency`.
        const full = queueStatusChange(change);
        if (full) await sendStatusBatch(full);
        return;
      }
    }
    // Already leased (and read): pushOrder starts from that item instead of leasing it again.
    tally(summary, await pushOrder(deps, orderId, { deadline: workDeadline, owner, force: o.force, leased }));
  }

  /** Adds a change to its user's batch; returns the batch once it is full (and takes it out). */
  function queueStatusChange(change: StatusChange): StatusChange[] | undefined {
    const { openId } = change.view;
    const batch = waitingBatches.get(openId) ?? [];
    batch.push(change);
    if (batch.length < o.batchSize) {
      waitingBatches.set(openId, batch);
      return undefined;
    }
    waitingBatches.delete(openId);
    return batch;
  }

  /** The order's change if it is only a status (and Mtime) change, else undefined. */
  function statusOnly(item: LedgerItem): StatusChange | undefined {
    let projection: ReturnType<typeof project>;
    try {
      projection = project(item.orderId, item.facts, projectionConfig(deps));
    } catch {
      return undefined; // pushOrder records why
    }
    // An order due again later (a cashier cancel waiting) is pushOrder's: it keeps the order due.
    if (!projection.ready || projection.view.dueAt !== undefined) return undefined;
    // A parcel to send (add/main/logistics) makes it more than a status change: pushOrder sends both.
    const calls = planPush(item.ack, projection.view);
    if (calls.length !== 1 || calls[0]?.call !== 'update/main/status') return undefined;
    return { item, view: projection.view };
  }

  async function sendStatusBatch(batch: StatusChange[]): Promise<void> {
    const [first] = batch;
    if (!first) return;
    let missing = new Set<string>();
    let failure: unknown;
    try {
      const { attempts } = await deps.client.call(
        'update/main/status',
        updateMainStatusBody(batch.map((c) => c.view.data)),
        { openId: first.view.openId },
        { deadline: workDeadline },
      );
      countCall(summary, 'update/main/status', attempts);
    } catch (err) {
      countCall(summary, 'update/main/status', (err as { attempts?: number }).attempts ?? 1);
      if (err instanceof OrderNotFoundError) missing = new Set(err.items.map((i) => String(i.resource_id)));
      else failure = err;
    }
    // One order Baidu refuses for good must not fail the rest of its user's batch: each goes out alone.
    const permanent = failure instanceof OrderCenterError && failure.kind === 'permanent' && batch.length > 1;
    const alone = batch.filter((c) => permanent || missing.has(c.item.orderId));
    await Promise.all(batch.filter((c) => !alone.includes(c)).map((change) => settle(change, failure)));
    // Sequentially, within this worker: calls in flight stay within `concurrency`.
    for (const { item } of alone) {
      const force = missing.has(item.orderId); // Baidu lacks it: resend it whole
      tally(
        summary,
        await pushOrder(deps, item.orderId, { deadline: workDeadline, owner, force, leased: item }),
      );
    }
  }

  /**
   * Writes how a batched order ended, the way any push ends: synced with what Baidu confirmed (a parcel it
   * refused before stays in the report while the status moves on), or the batch's failure.
   */
  async function settle(change: StatusChange, failure: unknown): Promise<void> {
    const { item, view } = change;
    // The batch call is counted once, in sendStatusBatch; each order counts as pushed.
    summary.pushed += 1;
    try {
      const outcome: SendOutcome = failure ? { ok: false, err: failure } : { ok: true };
      const { finished, end } = await finishStatusChange(deps, owner, item, view, outcome);
      if (failure) tally(summary, { state: end.syncState, calls: [], error: end.lastError });
      else tally(summary, { state: finished === 'ok' ? end.syncState : 'pending', calls: [] });
    } catch {
      // The ledger failed mid-way: the lease runs out and the order stays due.
      tally(summary, { state: 'pending', calls: [] });
    }
  }
}
