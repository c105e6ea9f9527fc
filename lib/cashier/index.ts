export {
  CASHIER_ORDER_NOT_FOUND,
  CashierQueryError,
  createCashierQueryClient,
  FIND_BY_TP_ORDER_ID_PATH,
  readCashierAnswer,
  type CashierQueryAnswer,
  type CashierQueryClient,
  type CashierQueryClientOptions,
  type CashierQueryResult,
  type QueryBudget,
} from './client';
