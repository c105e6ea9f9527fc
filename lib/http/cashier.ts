import { parseCashierNotify, verifyCashierSignature } from '../events';
import type { EventService, ServiceSource } from '../service';
import { formBody } from './body';
import { BadSignatureError, MalformedBodyError } from './errors';
import type { HttpRequest } from './events';
import { cashierSuccessReply } from './replies';
import { CASHIER_PUSH_BUDGET_MS, intakeWithinBudget } from './record';
import { answerWithin } from './reply-deadline';
import type { Route } from './route';

const NOT_SIGNED = "is missing or is not the cashier platform's signature of the posted fields";

/** Baidu's cashier wants an answer within 2 s: whatever still hangs by then gets a 503 (Baidu retries). */
export const CASHIER_REPLY_MS = 1_700;

/**
 * The fields of a callback from Baidu's cashier, once its RSA signature is verified: one check for the
 * payment notify and the refund callbacks alike (docs/contract.md sections 5 and 5b). Throws a 401 refusal
 * before any field is read for what it means. Nothing about an unsigned body is answered in detail: a
 * body that is not even a well-formed form cannot carry a signature, and says so in one short line
 * (naming each bad field of an unauthenticated body let a 256 KiB post draw a 22 MB reply).
 */
export async function verifiedCashierForm(
  request: HttpRequest,
  service: Pick<EventService, 'cashierPublicKey'>,
): Promise<Record<string, string>> {
  const publicKey = await service.cashierPublicKey.get();
  let fields: Record<string, string>;
  try {
    fields = formBody(request.body);
  } catch (err) {
    if (!(err instanceof MalformedBodyError)) throw err;
    const message = 'is not a well-formed form, so no signature can be checked';
    throw new BadSignatureError(`the body ${message}`, [{ path: 'body', message }]);
  }
  if (!verifyCashierSignature(fields, publicKey)) {
    throw new BadSignatureError(`rsaSign ${NOT_SIGNED}`, [{ path: 'rsaSign', message: NOT_SIGNED }]);
  }
  return fields;
}

/**
 * `POST /baidu/payment-notify` (docs/contract.md section 5): the signature, then the notify; answered with
 * Baidu's success shape once recorded. A retried notify is a duplicate and gets the same answer.
 */
export function cashierNotifyRoute(service: ServiceSource<EventService>): Route {
  return {
    accepts: 'application/x-www-form-urlencoded',
    replies: 'cashier',
    handle(request, context) {
      return answerWithin(CASHIER_REPLY_MS, async () => {
        const wired = service();
        const fields = await verifiedCashierForm(request, wired);
        await intakeWithinBudget(wired, parseCashierNotify(fields), context, CASHIER_PUSH_BUDGET_MS);
        return cashierSuccessReply();
      });
    },
  };
}
