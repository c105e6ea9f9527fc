export {
  startLocalOrderCenter,
  LocalOrderCenterError,
  type LocalOrderCenter,
  type LocalOrderCenterOptions,
  type RequestLogEntry,
} from './server';
export { OrderStore, replyItem, type StoredOrder } from './store';
export {
  defaultFaults,
  faultSnapshot,
  parseFaultPatch,
  pickFault,
  SCRIPTED_FAULTS,
  type FaultPatch,
  type FaultSettings,
  type ScriptedFault,
} from './faults';
export { TokenRegistry, type TokenCheck } from './tokens';
export { answerTokenRequest, OAUTH_TOKEN_PATH, type OAuthClient } from './oauth';
export { answerCall, type CallDeps, type CallOutcome, type CallRequest, type ReceivedBody } from './calls';
export { QUOTA_ANSWERS, TOKEN_EXPIRED, TOKEN_INVALID, UNKNOWN_CODE, type Answer } from './replies';
export {
  CALLS,
  CALL_BY_PATH,
  CALL_NAMES,
  requestIssues,
  type CallName,
  type CallSpec,
  type FieldSpec,
} from './api';
export { InvalidOptionsError, type FieldIssue } from './model';
export {
  answerCashierQuery,
  CashierBook,
  FIND_BY_TP_ORDER_ID,
  paymentIssues,
  type KnownPayment,
} from './cashier';
