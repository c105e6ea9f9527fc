export type { Anomaly, OrderView, Projection, ProjectionConfig } from './types';
export { project } from './project';
export {
  addMainInfoBody,
  addMainLogisticsBody,
  appendSubInfoBody,
  updateMainInfoBody,
  updateMainStatusBody,
  updateSubInfoBody,
  updateSubStatusBody,
} from './bodies';
export { canonicalFacts, compareFacts } from './facts';
export { toDetailPage } from './detail-page';
export { logisticsOf, type Parcel } from './logistics';
export { CATE_BY_CATEGORY } from './status';
export {
  decideCashierCancels,
  DEFAULT_CANCEL_AFTER_SECONDS,
  foreignDeal,
  isCashierCancel,
  type CancelDecision,
  type CancelPolicy,
} from './cashier';
export {
  awaitsPayment,
  nextPaymentCheck,
  paymentCheckPoints,
  PAYMENT_CHECK_SCHEDULE_MINUTES,
  type PaymentCheckInput,
} from './payment-check';
