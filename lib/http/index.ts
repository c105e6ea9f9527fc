export {
  asHttpError,
  BadSignatureError,
  ConflictError,
  HttpError,
  InvalidEventError,
  MalformedBodyError,
  PayloadTooLargeError,
  RouteNotFoundError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
} from './errors';
export { isHttpApiEvent, parseContentType, toHttpRequest, type HttpRequest, type MediaType } from './events';
export {
  accessLog,
  bodyLimit,
  contentType,
  errorReplies,
  httpRouter,
  type StackInternal,
  type StackMiddleware,
  type StackResult,
} from './middleware';
export {
  acceptedReply,
  CASHIER_SUCCESS,
  cashierSuccessReply,
  CASHIER_REFUND_NOTIFY_SUCCESS,
  refundAuditReply,
  refundNotifyReply,
  type RefundAuditReplyBody,
  INTERNAL_ERROR,
  MAX_REFUSAL_BYTES,
  MAX_REFUSAL_DETAILS,
  refusalReply,
  type CashierRefusalBody,
  type ErrorBody,
  type HttpReply,
  type Refusal,
  type ReplyStyle,
} from './replies';
export {
  CASHIER_PUSH_BUDGET_MS,
  MERCHANT_PUSH_BUDGET_MS,
  pushDeadline,
  intakeWithinBudget,
  REPLY_MARGIN_MS,
} from './record';
export {
  RoutedRequest,
  type AcceptedMediaType,
  type DirectInvoke,
  type Route,
  type RouteTable,
} from './route';
export { merchantEventInvoke, merchantEventRoute } from './merchant';
export { cashierNotifyRoute, verifiedCashierForm } from './cashier';
export { refundAuditRoute, refundNotifyRoute } from './refund';
export { formBody, jsonBody } from './body';
export { lifecycleHandler, MAX_BODY_BYTES, type LifecycleTriggers, type LifecycleHandler } from './stack';
