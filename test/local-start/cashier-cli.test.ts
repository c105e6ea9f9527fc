import { parseCashierArgs } from '../../local/cashier-cli';
import { InvalidInputError } from '../../lib/validation';

describe('npm run cashier: its arguments', () => {
  it.each([
    [
      ['audit', '1001', 'rb-1', '450'],
      '/baidu/refund-audit',
      { tpOrderId: '1001', orderId: 'cashier-1001', refundBatchId: 'rb-1', applyRefundMoney: '450' },
    ],
    [['audit', '1001', 'rb-1'], '/baidu/refund-audit', { tpOrderId: '1001', refundBatchId: 'rb-1' }],
    [
      ['refund', '1001', 'rb-1', 'succeeded'],
      '/baidu/refund-notify',
      { refundBatchId: 'rb-1', refundStatus: '1' },
    ],
    [['refund', '1001', 'rb-1', 'failed'], '/baidu/refund-notify', { refundStatus: '2' }],
  ])('%j posts to %s', (argv, path, fields) => {
    const callback = parseCashierArgs(argv);
    expect(callback.path).toBe(path);
    expect(callback.fields).toMatchObject(fields);
  });

  it('pays an order: the local cashier keeps the payment, and posts its notify unless told to drop it', () => {
    // Act
    const posted = parseCashierArgs(['pay', '1001', '2390']);
    const dropped = parseCashierArgs(['pay', '1001', '2390', '--drop-notify']);

    // Assess
    expect(posted.path).toBe('/baidu/payment-notify');
    expect(posted.fields).toMatchObject({ tpOrderId: '1001', totalMoney: '2390', status: '2' });
    expect(posted.payment).toEqual({
      tpOrderId: '1001',
      orderId: posted.fields.orderId,
      totalMoney: 2390,
    });
    expect(posted.payment?.orderId).toMatch(/^\d+$/); // an int64 at Baidu
    expect(posted.dropNotify).toBe(false);
    expect(dropped.dropNotify).toBe(true);
    expect(dropped.payment).toEqual(posted.payment);
  });

  it('leaves applyRefundMoney out when not given, as older callers do', () => {
    expect(parseCashierArgs(['audit', '1001', 'rb-1']).fields).not.toHaveProperty('applyRefundMoney');
  });

  it.each([
    [[], ['command', 'orderId', 'refundBatchId']],
    [['pay', '1001', 'rb-1'], ['amount']],
    [['pay', '1001'], ['amount']],
    [['collect', '1001', 'rb-1'], ['command']],
    [['audit', '1001', 'rb-1', '4.50'], ['applyRefundMoney']],
    [['refund', '1001', 'rb-1'], ['outcome']],
    [
      ['refund', '1 001', 'rb-1', 'ok'],
      ['orderId', 'outcome'],
    ],
    [['audit', '1001', 'rb-1', '1', 'x'], ['arguments']],
  ])('%j is refused, naming %j', (argv, paths) => {
    let error: unknown;
    try {
      parseCashierArgs(argv);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues.map((issue) => issue.path)).toEqual(paths);
  });
});
