import { parseMerchantEvent, verifyWebhookSignature, type MerchantEventType } from '../events';
import type { MerchantEventService, ServiceSource } from '../service';
import { jsonBody } from './body';
import { acceptedReply } from './replies';
import { MERCHANT_PUSH_BUDGET_MS, intakeWithinBudget } from './record';
import type { DirectInvoke, Route } from './route';

/**
 * `POST /events/<type>`: the signature first (over the raw bytes, before anything reads them), then the
 * JSON, then the event; recorded, pushed within the budget, answered 202.
 */
export function merchantEventRoute(
  type: MerchantEventType,
  service: ServiceSource<MerchantEventService>,
): Route {
  return {
    accepts: 'application/json',
    replies: 'merchant',
    async handle(request, context) {
      const wired = service();
      const secret = await wired.webhookSecret.get();
      verifyWebhookSignature(request.headers['x-signature'], request.body, secret);
      // The route is not signed, the body is: the body must say which event it is.
      const fact = parseMerchantEvent(type, jsonBody(request.body), { requireType: true });
      return acceptedReply(await intakeWithinBudget(wired, fact, context, MERCHANT_PUSH_BUDGET_MS));
    },
  };
}

/** A direct invoke: the Lambda event is the merchant event, unsigned (IAM decides who may invoke). */
export function merchantEventInvoke(
  type: MerchantEventType,
  service: ServiceSource<MerchantEventService>,
): DirectInvoke {
  return async (event, context) =>
    intakeWithinBudget(service(), parseMerchantEvent(type, event), context, MERCHANT_PUSH_BUDGET_MS);
}
