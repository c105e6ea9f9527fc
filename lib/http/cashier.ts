import { parseCashierNotify, verifyCashierSignature } from '../events';
import { getService } from '../service';
import { formBody } from './body';
import { BadSignatureError } from './errors';
import type { HttpRequest } from './events';
import { cashierSuccessReply } from './replies';
import { CASHIER_PUSH_BUDGET_MS, recordFact } from './record';
import { answerWithin } from './reply-deadline';
import type { Route } from './route';

/** Baidu's cashier wants an answer within 2 s: whatever still hangs by then gets a 503 (Baidu retries). */
export const CASHIER_REPLY_MS = 1_700;

/**
 * The fields of a callback from Baidu's cashier, once its RSA signature is verified: one check for the
 * payment notify and the refund callbacks alike (CONTRACT sections 5 and 5b). Throws a 401 refusal
 * before any field is read for what it means.
 */
export async function verifiedCashierForm(request: HttpRequest): Promise<Record<string, string>> {
  const fields = formBody(request.body);
  const publicKey = await getService().cashierPublicKey.get();
  if (!verifyCashierSignature(fields, publicKey)) {
    const message = "is missing or is not the cashier platform's signature of the posted fields";
    throw new BadSignatureError(`rsaSign ${message}`, [{ path: 'rsaSign', message }]);
  }
  return fields;
}

/**
 * `POST /baidu/payment-notify` (CONTRACT section 5): the form, its RSA signature, the notify; answered
 * with Baidu's success shape once recorded. A retried notify is a duplicate and gets the same answer.
 */
export function cashierNotifyRoute(): Route {
  return {
    accepts: 'application/x-www-form-urlencoded',
    replies: 'cashier',
    handle(request, context) {
      return answerWithin(CASHIER_REPLY_MS, async () => {
        const fields = await verifiedCashierForm(request);
        await recordFact(parseCashierNotify(fields), context, CASHIER_PUSH_BUDGET_MS);
        return cashierSuccessReply();
      });
    },
  };
}
