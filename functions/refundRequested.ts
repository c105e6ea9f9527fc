import type { MerchantEventType } from '../lib/events';
import { eventService, type EventService, type ServiceSource } from '../lib/service';
import {
  lifecycleHandler,
  merchantEventInvoke,
  merchantEventRoute,
  refundAuditRoute,
  type LifecycleTriggers,
} from '../lib/http';

/**
 * refundRequested.
 * The buyer asked for an after-sale: a new sub order, SubStatus 400 (requested).
 *
 * Triggers (docs/contract.md section 2):
 * - `POST /events/refund-requested`, signed with X-Signature; answered 202 once recorded.
 * - `POST /baidu/refund-audit` (退款审核, docs/contract.md section 5b): Baidu's cashier asks whether to refund a batch,
 *   form-encoded and RSA-signed; answered within 2 s with auditStatus and calculateRes.refundPayMoney, from
 *   the ledger and REFUND_AUDIT_POLICY. The answer is recorded on the order; a decided batch keeps its answer.
 * - a direct invoke whose event is the merchant event itself (unsigned: IAM decides who may invoke).
 * Once the event is recorded, the order is pushed for up to 1.5 s; reconcile does what is left.
 */
const TYPE: MerchantEventType = 'refund-requested';

/** The function's triggers, wired to the service they use: the container's below, or a test's own. */
export const triggers = (service: ServiceSource<EventService>): LifecycleTriggers => ({
  routes: {
    'POST /events/refund-requested': merchantEventRoute(TYPE, service),
    'POST /baidu/refund-audit': refundAuditRoute(service),
  },
  invoke: merchantEventInvoke(TYPE, service),
});

export const handler = lifecycleHandler(triggers(eventService()));
