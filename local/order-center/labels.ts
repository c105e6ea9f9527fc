import {
  CATE_PHYSICAL,
  CATE_VIRTUAL,
  type CateID,
  type MainStatus,
  type OrderType,
  type PaymentMethod,
  type SubStatus,
} from './model';

/** The words 百度App shows for a main status; the two categories share numbers but not all meanings. */
const MAIN_STATUS_LABELS: Readonly<Record<CateID, Readonly<Partial<Record<MainStatus, string>>>>> = {
  [CATE_PHYSICAL]: {
    1: '待付款',
    5: '等待卖家发货',
    6: '等待买家收货',
    100: '交易关闭',
    200: '交易完成',
    300: '隐藏',
  },
  [CATE_VIRTUAL]: {
    1: '待付款',
    2: '等待卖家确认',
    3: '卖家处理中',
    4: '卖家已确认',
    100: '交易关闭',
    200: '交易完成',
    300: '隐藏',
  },
};

const SUB_STATUS_LABELS: Readonly<Record<SubStatus, string>> = {
  400: '申请中',
  401: '处理中',
  402: '退款成功',
  403: '换货成功',
  404: '已关闭',
  407: '卖家已拒绝',
};

const ORDER_TYPE_LABELS: Readonly<Record<OrderType, string>> = { 1: '仅退款', 2: '换货', 3: '退货退款' };
const PAYMENT_METHOD_LABELS: Readonly<Record<PaymentMethod, string>> = { 1: '在线支付', 2: '货到付款' };
const CATE_LABELS: Readonly<Record<CateID, string>> = { [CATE_PHYSICAL]: '实物', [CATE_VIRTUAL]: '虚拟' };

/** The colour family a status is drawn in: what the user is waiting for, not the exact step. */
export type StatusTone = 'pending' | 'progress' | 'closed' | 'done' | 'hidden';

/**
 * A value outside the tables is shown with its number rather than hidden: the page exists to let a
 * merchant see what was really stored.
 */
function lookup<K extends number>(
  table: Readonly<Partial<Record<K, string>>>,
  value: K,
  what: string,
): string {
  return table[value] ?? `未知${what} ${value}`;
}

export function mainStatusLabel(cateId: CateID, status: MainStatus): string {
  return lookup(MAIN_STATUS_LABELS[cateId] ?? {}, status, '状态');
}

export function subStatusLabel(status: SubStatus): string {
  return lookup(SUB_STATUS_LABELS, status, '售后状态');
}

export function orderTypeLabel(type: OrderType): string {
  return lookup(ORDER_TYPE_LABELS, type, '售后类型');
}

export function paymentMethodLabel(method: PaymentMethod): string {
  return lookup(PAYMENT_METHOD_LABELS, method, '支付方式');
}

export function cateLabel(cateId: CateID): string {
  return lookup(CATE_LABELS, cateId, '类目');
}

export function mainStatusTone(status: MainStatus): StatusTone {
  if (status === 1) return 'pending';
  if (status === 100) return 'closed';
  if (status === 200) return 'done';
  if (status === 300) return 'hidden';
  return 'progress';
}

export function subStatusTone(status: SubStatus): StatusTone {
  if (status === 400 || status === 401) return 'progress';
  if (status === 402 || status === 403) return 'done';
  return 'closed';
}

/** Fen as 百度App prints prices: ¥23.90, -¥1.00. Integer arithmetic, so no float rounding can show. */
export function formatYuan(fen: number): string {
  const cents = Math.round(Math.abs(fen));
  const sign = fen < 0 && cents > 0 ? '-' : '';
  return `${sign}¥${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

const SHANGHAI = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Unix seconds as Beijing time, 2025-11-28 16:00:00, whatever the laptop's own zone. */
export function formatShanghaiTime(unixSeconds: number): string {
  const parts = Object.fromEntries(
    SHANGHAI.formatToParts(new Date(unixSeconds * 1000)).map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}
