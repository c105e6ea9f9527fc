import { randomUUID } from 'node:crypto';
import {
  LedgerRefusedError,
  type AckedOrder,
  type Ledger,
  type LedgerItem,
  type OrderLedger,
  type PushEnd,
  type RecordedAnomaly,
  type SyncState,
} from '../ledger/types';
import type { OrderCenterClient } from '../order-center/client';
import { OrderCenterError, OrderNotFoundError } from '../order-center/errors';
import { EXPRESS_SHIPMENT, type OrderCenterCall } from '../order-center/types';
import {
  nextPaymentCheck,
  project,
  type Anomaly,
  type OrderView,
  type ProjectionConfig,
} from '../projection';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  DEFAULT_QUOTA_MS,
  DEFAULT_UNKNOWN_CODE_ATTEMPTS,
  DEFAULT_UNKNOWN_CODE_MIN_MS,
  type BackoffPolicy,
} from './backoff';
import { bodyFor } from './bodies';
import { applyCall, planLogistics, planPush, withParcel, type PlannedCall } from './plan';
import { same } from './same';

/**
 * What syncing reads and writes. A push needs the order ledger alone (PushDependencies); reconcile the
 * whole ledger, to query the queue (the default).
 */
export interface SyncDependencies<L extends OrderLedger = Ledger> {
  ledger: L;
  client: OrderCenterClient;
  /** the mini-program's AppKey (BizAPPID) */
  bizAppId: string;
  /** CASHIER_DEAL_ID: cashier callbacks naming another deal change nothing */
  cashierDealId?: string;
  /** how long a cashier cancel of an unpaid order waits before closing it (PAYMENT_CHECK_AFTER_MINUTES) */
  cancelAfterSeconds?: number;
  /**
   * PAYMENT_CHECK_AFTER_MINUTES, given only when the cashier can be asked (CASHIER_APP_KEY set): every
   * push then keeps the order's place in the awaiting-check index (CONTRACT section 5c). Absent: untouched.
   */
  paymentCheckAfterMinutes?: number;
  /** epoch ms */
  now?: () => number;
  random?: () => number;
  backoff?: BackoffPolicy;
}

/** What a push uses: the event functions are wired with this much (lib/service). */
export type PushDependencies = SyncDependencies<OrderLedger>;

export interface PushOptions {
  /** epoch ms: no call starts after it and the push returns by then */
  deadline: number;
  /** resend the whole order with add/main/info */
  force?: boolean;
  /** lease owner; a caller that already holds the order's lease (reconcile) passes its own */
  owner?: string;
  /** the order as that caller leased it: the first round uses it instead of taking the lease again */
  leased?: LedgerItem;
}

export interface CallRecord {
  call: OrderCenterCall;
  ok: boolean;
  attempts: number;
}

/**
 * How a push ended. `busy`: another pusher holds the order; `missing`: no such order;
 * `interrupted`: out of time, or the ledger failed mid-way (the order stays due, nothing is lost).
 */
export interface PushOutcome {
  orderId: string;
  state: SyncState | 'busy' | 'missing' | 'interrupted';
  calls: CallRecord[];
  error?: { kind: string; message: string };
}

/** What the projection needs besides the facts, as of now: the cancel timer reads the clock here. */
export function projectionConfig(deps: PushDependencies): ProjectionConfig {
  const now = deps.now ?? (() => Date.now());
  const config: ProjectionConfig = { bizAppId: deps.bizAppId, now: Math.floor(now() / 1000) };
  if (deps.cashierDealId !== undefined) config.cashierDealId = deps.cashierDealId;
  if (deps.cancelAfterSeconds !== undefined) config.cancelAfterSeconds = deps.cancelAfterSeconds;
  return config;
}

/**
 * Where the order stands in the awaiting-check index after a push: when the cashier is next to be asked
 * (epoch ms), null when never (paid, closed, no snapshot, schedule over), undefined when no check is run.
 */
export function paymentCheckDue(
  deps: Pick<PushDependencies, 'paymentCheckAfterMinutes'>,
  item: Pick<LedgerItem, 'facts' | 'paymentCheckAskedAt'>,
  view: OrderView | undefined,
): number | null | undefined {
  if (deps.paymentCheckAfterMinutes === undefined) return undefined;
  if (view === undefined) return null;
  const due = nextPaymentCheck({
    view,
    facts: item.facts,
    lastAskedAt: item.paymentCheckAskedAt,
    afterMinutes: deps.paymentCheckAfterMinutes,
  });
  return due ?? null;
}

/** Below this much time left, starting an Order Center call is not worth it: reconcile will finish. */
const MIN_CALL_BUDGET_MS = 250;
/** A lease outlives the push by this much, so a pusher that dies does not block the order for long. */
const LEASE_MARGIN_MS = 2_000;
/** Facts arriving during a push make it go round again, at most this often. */
const MAX_ROUNDS = 3;

class OutOfTimeError extends Error {
  override readonly name = 'OutOfTimeError';
}

function failureKind(err: unknown): string {
  if (err instanceof OrderCenterError) return err.kind;
  return err instanceof Error ? err.name : 'unknown';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Pushes one order: takes its lease, projects its facts, sends exactly the calls that take the Order Center
 * from what it acknowledged to the projection, records each confirmed step, and writes how it ended.
 */
export async function pushOrder(
  deps: PushDependencies,
  orderId: string,
  options: PushOptions,
): Promise<PushOutcome> {
  const now = deps.now ?? (() => Date.now());
  const policy = deps.backoff ?? DEFAULT_BACKOFF;
  const owner = options.owner ?? randomUUID();
  const calls: CallRecord[] = [];
  /** confirmed by Baidu, not yet in the ledger */
  let unsaved: AckedOrder | undefined;
  /** what Baidu holds as far as this push knows, saved or not */
  let current: AckedOrder | undefined;

  /** The ledger failed: the order stays due (or leased until the lease runs out), nothing is lost. */
  const interrupted = (err: unknown): PushOutcome => ({
    orderId,
    state: 'interrupted',
    calls,
    error: { kind: failureKind(err), message: message(err) },
  });

  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    let item: LedgerItem | 'busy' | 'missing';
    try {
      item =
        round === 0 && options.leased
          ? options.leased
          : await deps.ledger.acquireLease(orderId, owner, options.deadline + LEASE_MARGIN_MS);
    } catch (err) {
      return interrupted(err);
    }
    if (item === 'busy' || item === 'missing') return { orderId, state: item, calls };

    let written: WrittenEnd;
    try {
      written = await pushLeased(item, round === 0 && options.force === true);
    } catch (err) {
      return interrupted(err);
    }
    const { finished, end, error } = written;
    if (finished === 'ok') return { orderId, state: end.syncState, calls, error };
    // A fact arrived meanwhile: go round again while there is time, else leave it due for reconcile.
    if (options.deadline - now() < MIN_CALL_BUDGET_MS) break;
  }
  return {
    orderId,
    state: 'interrupted',
    calls,
    error: { kind: 'stale', message: 'new facts kept arriving' },
  };

  /** Pushes the leased order and writes how it ended; throws only when the ledger fails (interrupted). */
  async function pushLeased(item: LedgerItem, force: boolean): Promise<WrittenEnd> {
    let projection: ReturnType<typeof project>;
    try {
      projection = project(orderId, item.facts, projectionConfig(deps));
    } catch (err) {
      // Facts the parsers should have refused: no push can fix them, a person has to look.
      const lastError = { kind: 'invalid-facts', message: message(err), at: now() };
      return writeEnd(deps, owner, item, {
        end: { syncState: 'failed', attempts: item.attempts, nextAttemptAt: now(), lastError },
        error: lastError,
      });
    }
    if (!projection.ready) {
      // A cashier notify before the merchant's snapshot: kept, and pushed when the snapshot comes.
      const anomalies = projection.anomalies.map(recordedAnomaly);
      const end: PushEnd = { syncState: 'waiting', attempts: item.attempts, nextAttemptAt: now(), anomalies };
      return writeEnd(deps, owner, item, {
        end: withPaymentCheck(end, paymentCheckDue(deps, item, undefined)),
      });
    }
    const { view } = projection;
    unsaved = undefined;
    current = item.ack;
    let outcome: SendOutcome = { ok: true };
    try {
      await sendPlanned(item, view, force);
    } catch (err) {
      outcome = { ok: false, err };
    }
    return finishSent(deps, owner, item, { view, current, unsaved }, outcome);
  }

  async function sendPlanned(item: LedgerItem, view: OrderView, force: boolean): Promise<void> {
    let acked = item.ack;
    let steps = planPush(acked, view, { force });
    let fellBack = false;
    for (let i = 0; i < steps.length; i += 1) {
      const step = steps[i] as PlannedCall;
      try {
        acked = await send(step, view, acked);
      } catch (err) {
        if (step.call === 'add/main/logistics' && parcelRefused(item, err)) {
          // The parcel fails alone (CONTRACT section 4): kept as refused, the order's other calls go on.
          acked = withParcel(acked ?? view.data, {
            Express: step.express,
            refused: { message: message(err), at: now() },
          });
          unsaved = acked;
          current = acked;
          continue;
        }
        // rows_affected 0 on an update: Baidu lacks the order or the after-sale item. Resend it whole, once,
        // then every parcel: an order Baidu lacks has none of them either.
        if (!(err instanceof OrderNotFoundError) || step.call === 'add/main/info' || fellBack) throw err;
        fellBack = true;
        acked = undefined;
        steps = [{ call: 'add/main/info' }, ...planLogistics(undefined, view.logistics)];
        i = -1;
      }
    }
  }

  /**
   * Baidu refused a parcel for good: a permanent refusal (an unknown carrier code is a parameter error), or
   * an undocumented code as many pushes in a row as would fail a whole order.
   */
  function parcelRefused(item: LedgerItem, err: unknown): boolean {
    if (!(err instanceof OrderCenterError)) return false;
    if (err.kind === 'permanent') return true;
    if (err.kind !== 'unknown') return false;
    const repeats = item.lastError?.kind === 'unknown' ? (item.lastError.repeats ?? 1) : 0;
    return repeats + 1 >= (policy.unknownCodeAttempts ?? DEFAULT_UNKNOWN_CODE_ATTEMPTS);
  }

  /**
   * Sends one call. What Baidu confirmed by the previous call is written before the next goes out (a
   * crash between calls resends only what is left); the last one is written with the end of the push.
   */
  async function send(
    step: PlannedCall,
    view: OrderView,
    acked: AckedOrder | undefined,
  ): Promise<AckedOrder> {
    if (options.deadline - now() < MIN_CALL_BUDGET_MS) throw new OutOfTimeError('the push ran out of time');
    if (unsaved) {
      await deps.ledger.saveAck(orderId, owner, unsaved);
      unsaved = undefined;
    }
    const query = { openId: view.openId, sceneId: view.sceneId };
    try {
      const { attempts } = await deps.client.call(step.call, bodyFor(step, view.data), query, {
        deadline: options.deadline,
      });
      calls.push({ call: step.call, ok: true, attempts });
    } catch (err) {
      calls.push({
        call: step.call,
        ok: false,
        attempts: err instanceof OrderCenterError ? err.attempts : 1,
      });
      throw err;
    }
    const next = applyCall(acked, view.data, step);
    unsaved = next;
    current = next;
    return next;
  }
}

/** How sending a ready order's calls went: all confirmed, or stopped by `err`. */
export type SendOutcome = { ok: true } | { ok: false; err: unknown };

/** What a push of a ready order leaves behind, for writing how it ended. */
export interface SentOrder {
  /** the projection the calls were planned from */
  view: OrderView;
  /** what Baidu holds as far as the push knows, saved or not: the parcels it refused are reported */
  current: AckedOrder | undefined;
  /** confirmed by Baidu, not yet in the ledger: written with the end */
  unsaved: AckedOrder | undefined;
}

/** How a push ended, as written to the ledger: `stale` when a fact arrived meanwhile (the order stays due). */
export interface WrittenEnd {
  finished: 'ok' | 'stale';
  end: PushEnd;
  error?: PushOutcome['error'];
}

/**
 * The one way a push of a ready order ends (pushOrder, and reconcile's status batches): from how sending
 * went, computes the end (synced, pending until the view's dueAt, or the failure's backoff), with the view's
 * anomalies, the parcels Baidu refused, the ack it confirmed and the order's place in the awaiting-check
 * index, and writes it under the caller's lease. Throws when the ledger fails: the order stays due.
 */
export function finishSent(
  deps: PushDependencies,
  owner: string,
  item: LedgerItem,
  sent: SentOrder,
  outcome: SendOutcome,
): Promise<WrittenEnd> {
  const now = deps.now ?? (() => Date.now());
  const { view } = sent;
  const anomalies = [...view.anomalies.map(recordedAnomaly), ...refusedParcels(sent.current, view)];
  const checkDue = paymentCheckDue(deps, item, view);
  if (!outcome.ok) {
    const env = { now, random: deps.random ?? Math.random, policy: deps.backoff ?? DEFAULT_BACKOFF };
    const failure = failureEnd(item, outcome.err, env);
    return writeEnd(deps, owner, item, {
      ...failure,
      end: withPaymentCheck({ ...failure.end, anomalies, ack: sent.unsaved }, checkDue),
    });
  }
  const { dueAt } = view;
  // Synced for now, but the view changes at dueAt with no new fact (a cancel's wait ends): due then.
  const end: PushEnd =
    dueAt === undefined
      ? { syncState: 'synced', attempts: 0, nextAttemptAt: now(), anomalies, ack: sent.unsaved }
      : {
          syncState: 'pending',
          attempts: 0,
          nextAttemptAt: Math.max(now(), dueAt * 1000),
          anomalies,
          ack: sent.unsaved,
        };
  return writeEnd(deps, owner, item, { end: withPaymentCheck(end, checkDue) });
}

/**
 * How an order sent alone as a status change (in reconcile's update/main/status batch for its user) ends:
 * as finishSent, with Baidu holding the new status once the call went through.
 */
export function finishStatusChange(
  deps: PushDependencies,
  owner: string,
  item: LedgerItem,
  view: OrderView,
  outcome: SendOutcome,
): Promise<WrittenEnd> {
  const unsaved = outcome.ok ? applyCall(item.ack, view.data, { call: 'update/main/status' }) : undefined;
  return finishSent(deps, owner, item, { view, current: unsaved ?? item.ack, unsaved }, outcome);
}

/**
 * Writes a push's end under the caller's lease. An end the ledger refuses to store would leave the lease to
 * run out and the order to be pushed again for ever: it ends failed instead, with why, where the report
 * shows it. Any other ledger failure is thrown.
 */
async function writeEnd(
  deps: Pick<PushDependencies, 'ledger' | 'now'>,
  owner: string,
  item: LedgerItem,
  ended: { end: PushEnd; error?: PushOutcome['error'] },
): Promise<WrittenEnd> {
  const now = deps.now ?? (() => Date.now());
  try {
    const finished = await deps.ledger.finishPush(item.orderId, owner, item.version, ended.end);
    return { finished, ...ended };
  } catch (err) {
    if (!(err instanceof LedgerRefusedError)) throw err;
    const lastError = {
      kind: 'unrecordable',
      message: `the push's outcome could not be recorded: ${message(err)}`,
      at: now(),
    };
    const end: PushEnd = {
      syncState: 'failed',
      attempts: item.attempts + 1,
      nextAttemptAt: now(),
      lastError,
    };
    const finished = await deps.ledger.finishPush(item.orderId, owner, item.version, end);
    return { finished, end, error: { kind: lastError.kind, message: lastError.message } };
  }
}

/**
 * How a push that failed with `err` ends: running out of time counts no attempt; a permanent refusal is
 * failed (no automatic retry); a spent quota waits minutes and counts no attempt; a code Baidu does not
 * document is tried a few times, minutes apart, then failed; anything else backs off with jitter until too
 * many attempts make it dead.
 */
export function failureEnd(
  item: Pick<LedgerItem, 'attempts'> & Partial<Pick<LedgerItem, 'lastError'>>,
  err: unknown,
  env: { now: () => number; random: () => number; policy: BackoffPolicy },
): { end: PushEnd; error: NonNullable<PushOutcome['error']> } {
  const { now, random, policy } = env;
  const error = { kind: failureKind(err), message: message(err) };
  const lastError = { ...error, at: now() };
  // Out of time before anything was sent: not the Order Center's fault, no attempt counted.
  if (
    err instanceof OutOfTimeError ||
    (err instanceof OrderCenterError && err.attempts === 0 && err.kind === 'transient')
  ) {
    return { end: { syncState: 'pending', attempts: item.attempts, nextAttemptAt: now(), lastError }, error };
  }
  if (err instanceof OrderCenterError && err.kind === 'permanent') {
    return {
      end: { syncState: 'failed', attempts: item.attempts + 1, nextAttemptAt: now(), lastError },
      error,
    };
  }
  if (err instanceof OrderCenterError && err.kind === 'quota') {
    // Not this order's fault, so no attempt counts; jitter keeps the waiting orders from all coming back at once.
    const quotaMs = policy.quotaMs ?? DEFAULT_QUOTA_MS;
    const nextAttemptAt = now() + quotaMs + Math.round(random() * quotaMs);
    return { end: { syncState: 'pending', attempts: item.attempts, nextAttemptAt, lastError }, error };
  }
  if (err instanceof OrderCenterError && err.kind === 'unknown') {
    const repeats = (item.lastError?.kind === 'unknown' ? (item.lastError.repeats ?? 1) : 0) + 1;
    const attempts = item.attempts + 1;
    if (repeats >= (policy.unknownCodeAttempts ?? DEFAULT_UNKNOWN_CODE_ATTEMPTS)) {
      const failed = {
        ...error,
        message: `${error.message} (a code Baidu does not document, ${repeats} pushes in a row)`,
      };
      return {
        end: {
          syncState: 'failed',
          attempts,
          nextAttemptAt: now(),
          lastError: { ...failed, at: now(), repeats },
        },
        error: failed,
      };
    }
    const delay = Math.max(
      policy.unknownCodeMinMs ?? DEFAULT_UNKNOWN_CODE_MIN_MS,
      backoffDelay(attempts, policy, random),
    );
    return {
      end: {
        syncState: 'pending',
        attempts,
        nextAttemptAt: now() + delay,
        lastError: { ...lastError, repeats },
      },
      error,
    };
  }
  // Transient, token still refused after a refetch, SSM or the ledger failing mid-way: back off and retry.
  const attempts = item.attempts + 1;
  const syncState = attempts >= policy.maxAttempts ? 'dead' : 'pending';
  return {
    end: { syncState, attempts, nextAttemptAt: now() + backoffDelay(attempts, policy, random), lastError },
    error,
  };
}

/** The push's end with the order's place in the awaiting-check index, when there is one to write. */
export function withPaymentCheck(end: PushEnd, due: number | null | undefined): PushEnd {
  return due === undefined ? end : { ...end, paymentCheckDueAt: due };
}

/**
 * The parcels Baidu refused that the order still wants shown, as anomalies for the report: the logistics
 * step failed on its own, with Baidu's message (CONTRACT section 4).
 */
export function refusedParcels(ack: AckedOrder | undefined, view: OrderView): RecordedAnomaly[] {
  return view.logistics.flatMap(({ express, eventId }) => {
    const answer = ack?.logistics?.find((entry) => entry.Express.Type === express.Type);
    if (!answer?.refused || !same(answer.Express, express)) return [];
    const what = express.Type === EXPRESS_SHIPMENT ? 'shipment' : 'return parcel';
    return [
      {
        code: 'logistics-refused',
        eventId,
        detail:
          `Baidu refused the ${what} ${express.Code} ${express.ID}: ${answer.refused.message}. ` +
          "The order's status and after-sale orders sync without it; an event with a corrected carrier sends it again",
      },
    ];
  });
}

/** An anomaly as the ledger keeps it for an operator's report. */
export function recordedAnomaly(anomaly: Anomaly): RecordedAnomaly {
  switch (anomaly.code) {
    case 'cashier-amount-mismatch':
      return {
        code: anomaly.code,
        eventId: anomaly.eventId,
        detail: `the cashier notified totalMoney ${anomaly.received}, the order's amount is ${anomaly.expected}: not taken as paid`,
      };
    case 'refund-without-request':
      return {
        code: anomaly.code,
        eventId: anomaly.eventId,
        detail: `an update of after-sale order ${anomaly.refundId}, which was never requested`,
      };
    case 'cashier-refund-failed':
      return {
        code: anomaly.code,
        eventId: anomaly.eventId,
        detail:
          `Baidu's cashier says refund batch ${anomaly.refundBatchId} failed` +
          (anomaly.refundId === undefined ? '' : ` (after-sale order ${anomaly.refundId}, left as it was)`),
      };
    case 'refund-result-unlinked':
      return {
        code: anomaly.code,
        eventId: anomaly.eventId,
        detail:
          `Baidu's cashier says refund batch ${anomaly.refundBatchId} succeeded, but no after-sale order is ` +
          'linked to it yet: kept, and applied once an audit approval or a merchant refund names the batch',
      };
    case 'cashier-cancel-after-progress':
      return {
        code: anomaly.code,
        eventId: anomaly.eventId,
        detail: 'the cashier cancelled a payment of an order already paid or shipped: the order is unchanged',
      };
    case 'cashier-foreign-deal':
      return {
        code: anomaly.code,
        eventId: anomaly.eventId,
        detail: `a cashier callback for dealId ${anomaly.dealId}, not this merchant's CASHIER_DEAL_ID: ignored`,
      };
  }
}
