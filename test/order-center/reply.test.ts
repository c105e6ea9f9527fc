import { classifyReply } from '../../lib/order-center/reply';

const ok = (data: unknown) => JSON.stringify({ errno: 0, msg: 'success', data });
const item = (rows: string | number) => ({
  biz_app_id: 'k',
  cate_id: '1',
  resource_id: 'R1',
  rows_affected: rows,
});

describe('classifyReply', () => {
  it.each([
    ['rows_affected "1" (string)', 200, ok([item('1')])],
    ['rows_affected 1 (number)', 200, ok([item(1)])],
    ['several items, all affected', 200, ok([item('1'), item(2)])],
    ['no data array', 200, JSON.stringify({ errno: 0, msg: 'success' })],
    ['errno as a string "0"', 200, JSON.stringify({ errno: '0', msg: 'success', data: [item('1')] })],
  ])('%s is a success', (_label, status, text) => {
    // Act
    const outcome = classifyReply(status, text);

    // Assess
    expect(outcome.ok).toBe(true);
  });

  it.each([
    ['rows_affected "0" (string)', 200, ok([item('0')]), 'not-found'],
    ['rows_affected 0 (number)', 200, ok([item(0)]), 'not-found'],
    ['one item of two not affected', 200, ok([item('1'), item('0')]), 'not-found'],
    [
      'gateway 110 invalid token',
      200,
      JSON.stringify({ error_code: 110, error_msg: 'Access token invalid' }),
      'token',
    ],
    [
      'gateway 111 expired token',
      200,
      JSON.stringify({ error_code: 111, error_msg: 'Access token expired' }),
      'token',
    ],
    ['errno 44003', 200, JSON.stringify({ errno: 44003, msg: 'token invalid' }), 'token'],
    ['errno 44004', 200, JSON.stringify({ errno: 44004, msg: 'token expired' }), 'token'],
    ['busy errno 1000', 200, JSON.stringify({ errno: 1000, msg: 'busy' }), 'transient'],
    ['busy errno 500', 200, JSON.stringify({ errno: 500, msg: 'busy' }), 'transient'],
    ['busy errno 5000', 200, JSON.stringify({ errno: 5000, msg: 'busy' }), 'transient'],
    ['gateway QPS limit 18', 200, JSON.stringify({ error_code: 18, error_msg: 'QPS limit' }), 'transient'],
    ['HTTP 502 html', 502, '<html>bad gateway</html>', 'transient'],
    ['HTTP 503 json', 503, JSON.stringify({ errno: 0 }), 'transient'],
    ['HTTP 429', 429, '', 'transient'],
    ['200 with a body that is not JSON', 200, 'upstream reset', 'transient'],
    ['parameter invalid 2002', 200, JSON.stringify({ errno: 2002, msg: 'param error' }), 'permanent'],
    ['errno 6001', 200, JSON.stringify({ errno: 6001, msg: 'no permission' }), 'permanent'],
    [
      'gateway 6 no permission',
      200,
      JSON.stringify({ error_code: 6, error_msg: 'No permission' }),
      'permanent',
    ],
    ['HTTP 404 text', 404, 'not found', 'permanent'],
    ['no errno at all', 200, JSON.stringify({ msg: 'what' }), 'permanent'],
    ['errno 0 on HTTP 400', 400, JSON.stringify({ errno: 0, data: [] }), 'permanent'],
  ])('%s (HTTP %i, %s) is %s', (_label, status, text, kind) => {
    // Act
    const outcome = classifyReply(status, text);

    // Assess
    expect(outcome).toMatchObject({ ok: false, kind });
  });

  it('names the orders that were not affected', () => {
    // Act
    const outcome = classifyReply(200, ok([item('1'), { ...item('0'), resource_id: 'R2' }]));

    // Assess
    expect(outcome).toMatchObject({ ok: false, kind: 'not-found', items: [{ resource_id: 'R2' }] });
    expect(outcome.ok || outcome.message).toContain('R2');
  });
});
