export * from './types';
export { computeOrderAmount } from './amount';
export type { UnixClock } from './clock';
export { MAX_FUTURE_SECONDS, parseMerchantEvent, type ParseMerchantEventOptions } from './merchant';
export { LIMITS, merchantEventSchema, type MerchantEventInput } from './merchant-schema';
export {
  CASHIER_STATUS,
  CASHIER_UNSIGNED_FIELDS,
  CashierKeyError,
  cashierSignContent,
  loadCashierPublicKey,
  parseCashierNotify,
  parseFormBody,
  signCashierFields,
  verifyCashierSignature,
  type ParseCashierNotifyOptions,
} from './cashier-notify';
export {
  DEFAULT_TOLERANCE_SECONDS,
  SignatureError,
  signWebhook,
  verifyWebhookSignature,
  type SignatureFailure,
  type VerifyWebhookOptions,
} from './webhook-signature';
export {
  CASHIER_REFUND_STATUS,
  parseRefundAudit,
  parseRefundResult,
  refundAuditEventId,
  refundAuditFact,
  type ParseRefundResultOptions,
  type RefundAuditQuestion,
} from './cashier-refund';
