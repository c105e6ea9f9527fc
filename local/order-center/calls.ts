import { requestIssues, type CallName } from './api';
import type { FieldIssue, OrderKey } from './model';
import { pickFault, pickOne, type FaultSettings, type ScriptedFault } from './faults';
import {
  busy,
  gatewayError,
  GATEWAY_FAILURES,
  paramError,
  QUOTA_ANSWERS,
  success,
  TOKEN_EXPIRED,
  TOKEN_INVALID,
  UNKNOWN_CODE,
  type Answer,
} from './replies';
import { replyItem, type AcceptedBody, type OrderStore } from './store';
import type { TokenRegistry } from './tokens';

const BUSY_ERRNOS = [1000, 500, 5000] as const;

/** A request body as received: parsed when it is JSON. */
export type ReceivedBody = { json: true; value: unknown } | { json: false; text: string };

export interface CallRequest {
  call: CallName;
  query: URLSearchParams;
  body: ReceivedBody;
  /** Unix seconds */
  receivedAt: number;
}

/** What the Order Center does with a call: answer (maybe a scripted fault's answer), or never answer. */
export type CallOutcome =
  { hang: false; answer: Answer; fault?: ScriptedFault } | { hang: true; fault: 'hang' };

export interface CallDeps {
  tokens: TokenRegistry;
  store: OrderStore;
  faults: FaultSettings;
  /** default: api.ts's own reading of Baidu's calls */
  validate?: (call: CallName, body: unknown) => FieldIssue[];
}

/** The first issue, as Baidu's one-line 2002 message naming the field's path. */
function firstIssue(issues: FieldIssue[]): Answer {
  const { path, message } = issues[0] as FieldIssue;
  if (path === '') return { status: 200, body: { errno: 2002, msg: `param error: ${message}`, data: [] } };
  return paramError(path, message);
}

/** Answers a fault drawn before anything is looked at; rows0 instead comes after validation. */
function earlyFault(fault: ScriptedFault, faults: FaultSettings): CallOutcome | undefined {
  switch (fault) {
    case '5xx':
      return { hang: false, answer: pickOne(faults, GATEWAY_FAILURES), fault };
    case 'hang':
      return { hang: true, fault };
    case 'busy':
      return { hang: false, answer: busy(pickOne(faults, BUSY_ERRNOS)), fault };
    case 'token-expired':
      return { hang: false, answer: gatewayError(TOKEN_EXPIRED), fault };
    case 'param':
      return { hang: false, answer: paramError('Data', 'rejected by a scripted param fault'), fault };
    case 'quota':
      return { hang: false, answer: pickOne(faults, QUOTA_ANSWERS), fault };
    case 'unknown-code':
      return { hang: false, answer: UNKNOWN_CODE, fault };
    case 'rows0':
      return undefined;
  }
}

type Admission = { admitted: false; answer: Answer } | { admitted: true; appKey: string; body: unknown };

/** The token, the user and the body, checked in Baidu's order; the token's appKey when all pass. */
function admit(request: CallRequest, deps: CallDeps): Admission {
  const refuse = (answer: Answer): Admission => ({ admitted: false, answer });
  const token = request.query.get('access_token');
  if (!token) return refuse(paramError('access_token', 'is required'));
  const check = deps.tokens.check(token);
  if (!check.ok) return refuse(gatewayError(check.reason === 'expired' ? TOKEN_EXPIRED : TOKEN_INVALID));
  if (!request.query.get('open_id')) return refuse(paramError('open_id', 'is required'));
  if (!request.body.json)
    return refuse({ status: 200, body: { errno: 2002, msg: 'invalid json', data: [] } });
  const issues = (deps.validate ?? requestIssues)(request.call, request.body.value);
  if (issues.length > 0) return refuse(firstIssue(issues));
  return { admitted: true, appKey: check.appKey, body: request.body.value };
}

/** A token only speaks for its own mini-program. */
function foreignBizAppId(items: OrderKey[], appKey: string): Answer | undefined {
  const index = items.findIndex((item) => item.BizAPPID !== appKey);
  if (index < 0) return undefined;
  return paramError(`Data[${index}].BizAPPID`, 'must be the AppKey the access token was issued to');
}

/** One request to one of the six call paths, from faults to the stored result. */
export function answerCall(request: CallRequest, deps: CallDeps): CallOutcome {
  const fault = pickFault(deps.faults, request.call);
  const early = fault && earlyFault(fault, deps.faults);
  if (early) return early;

  const admission = admit(request, deps);
  if (!admission.admitted) return { hang: false, answer: admission.answer };
  const body = admission.body as AcceptedBody<CallName>;
  const items: OrderKey[] = body.Data;
  const foreign = foreignBizAppId(items, admission.appKey);
  if (foreign) return { hang: false, answer: foreign };

  if (fault === 'rows0') {
    return { hang: false, answer: success(items.map((item) => replyItem(item, false))), fault };
  }
  const openId = request.query.get('open_id') as string;
  return { hang: false, answer: success(deps.store.apply(request.call, openId, body, request.receivedAt)) };
}
