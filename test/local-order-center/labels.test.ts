import {
  cateLabel,
  formatShanghaiTime,
  formatYuan,
  mainStatusLabel,
  mainStatusTone,
  orderTypeLabel,
  paymentMethodLabel,
  subStatusLabel,
  subStatusTone,
  type StatusTone,
} from '../../local/order-center/labels';
import type { CateID, MainStatus, OrderType, PaymentMethod, SubStatus } from '../../lib/order-center/types';

describe('formatYuan', () => {
  it.each<[number, string]>([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [10, '¥0.10'],
    [100, '¥1.00'],
    [2390, '¥23.90'],
    [2399, '¥23.99'],
    [123_456_789, '¥1234567.89'],
    [-100, '-¥1.00'],
    [-5, '-¥0.05'],
    [-0, '¥0.00'],
  ])('%d fen is %s', (fen, expected) => {
    // Act
    const text = formatYuan(fen);
    // Assess
    expect(text).toBe(expected);
  });
});

describe('formatShanghaiTime', () => {
  it.each<[number, string]>([
    [0, '1970-01-01 08:00:00'],
    [1_764_316_800, '2025-11-28 16:00:00'],
    [1_764_345_599, '2025-11-28 23:59:59'],
    [1_764_345_600, '2025-11-29 00:00:00'],
    [1_571_026_201, '2019-10-14 12:10:01'],
  ])('%d is %s in Beijing time', (seconds, expected) => {
    // Act
    const text = formatShanghaiTime(seconds);
    // Assess
    expect(text).toBe(expected);
  });
});

describe('mainStatusLabel and mainStatusTone', () => {
  it.each<[CateID, MainStatus, string, StatusTone]>([
    [1, 1, '待付款', 'pending'],
    [1, 5, '等待卖家发货', 'progress'],
    [1, 6, '等待买家收货', 'progress'],
    [1, 100, '交易关闭', 'closed'],
    [1, 200, '交易完成', 'done'],
    [1, 300, '隐藏', 'hidden'],
    [2, 1, '待付款', 'pending'],
    [2, 2, '等待卖家确认', 'progress'],
    [2, 3, '卖家处理中', 'progress'],
    [2, 4, '卖家已确认', 'progress'],
    [2, 100, '交易关闭', 'closed'],
    [2, 200, '交易完成', 'done'],
    [2, 300, '隐藏', 'hidden'],
  ])('CateID %d status %d is %s (%s)', (cate, status, label, tone) => {
    // Act
    const shown = [mainStatusLabel(cate, status), mainStatusTone(status)];
    // Assess
    expect(shown).toEqual([label, tone]);
  });

  it.each<[CateID, MainStatus]>([
    [1, 2],
    [1, 4],
    [2, 5],
    [2, 6],
  ])('CateID %d has no status %d: it shows the number, not a guess', (cate, status) => {
    // Act
    const label = mainStatusLabel(cate, status);
    // Assess
    expect(label).toBe(`未知状态 ${status}`);
  });

  it('an unknown category does not break the label', () => {
    // Act
    const label = mainStatusLabel(9 as CateID, 1);
    // Assess
    expect(label).toBe('未知状态 1');
  });
});

describe('subStatusLabel and subStatusTone', () => {
  it.each<[SubStatus, string, StatusTone]>([
    [400, '申请中', 'progress'],
    [401, '处理中', 'progress'],
    [402, '退款成功', 'done'],
    [403, '换货成功', 'done'],
    [404, '已关闭', 'closed'],
    [407, '卖家已拒绝', 'closed'],
  ])('%d is %s (%s)', (status, label, tone) => {
    // Act
    const shown = [subStatusLabel(status), subStatusTone(status)];
    // Assess
    expect(shown).toEqual([label, tone]);
  });
});

describe('small labels', () => {
  it.each<[string, string, () => string]>([
    ['OrderType 1', '仅退款', () => orderTypeLabel(1)],
    ['OrderType 2', '换货', () => orderTypeLabel(2)],
    ['OrderType 3', '退货退款', () => orderTypeLabel(3)],
    ['OrderType 9', '未知售后类型 9', () => orderTypeLabel(9 as OrderType)],
    ['Method 1', '在线支付', () => paymentMethodLabel(1)],
    ['Method 2', '货到付款', () => paymentMethodLabel(2)],
    ['Method 3', '未知支付方式 3', () => paymentMethodLabel(3 as PaymentMethod)],
    ['CateID 1', '实物', () => cateLabel(1)],
    ['CateID 2', '虚拟', () => cateLabel(2)],
    ['SubStatus 405', '未知售后状态 405', () => subStatusLabel(405 as SubStatus)],
  ])('%s is %s', (_case, expected, label) => {
    // Act
    const text = label();
    // Assess
    expect(text).toBe(expected);
  });
});
