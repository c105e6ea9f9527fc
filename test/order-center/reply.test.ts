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
    // The Go SDK decodes error_code beside errno and takes a zero one as no gateway error.
    [
      'error_code 0 beside errno 0',
      200,
      JSON.stringify({ errno: 0, msg: 'success', error_code: 0, error_msg: '', data: [item('1')] }),
    ],
  ])('%s is a success', (_label, status, text) => {
    // Act
    const outcome = classifyReply(status, text);

    // Assess
    expect(outcome.ok).toBe(true);
  });

  const errno = (code: number, msg = 'x') => JSON.stringify({ errno: code, msg, data: [] });
  const gateway = (code: number, msg = 'x') => JSON.stringify({ error_code: code, error_msg: msg });

  it.each([
    ['rows_affected "0" (string)', 200, ok([item('0')]), 'not-found'],
    ['rows_affected 0 (number)', 200, ok([item(0)]), 'not-found'],
    ['one item of two not affected', 200, ok([item('1'), item('0')]), 'not-found'],

    // token: refetch and retry once (docs/contract.md section 8)
    ['gateway 110 invalid token', 200, gateway(110, 'Access token invalid'), 'token'],
    ['gateway 111 expired token', 200, gateway(111, 'Access token expired'), 'token'],
    ['errno 44002 token revoked', 200, errno(44002), 'token'],
    ['errno 44003', 200, errno(44003, 'token invalid'), 'token'],
    ['errno 44004', 200, errno(44004, 'token expired'), 'token'],

    // busy: retry with backoff
    ['busy errno 1000', 200, errno(1000, 'busy'), 'transient'],
    ['busy errno 500', 200, errno(500, 'busy'), 'transient'],
    ['busy errno 501', 200, errno(501, 'busy'), 'transient'],
    ['busy errno 5000', 200, errno(5000, 'busy'), 'transient'],
    ['gateway 2 service unavailable', 200, gateway(2, 'Service temporarily unavailable'), 'transient'],
    ['HTTP 502 html', 502, '<html>bad gateway</html>', 'transient'],
    ['HTTP 503 json', 503, JSON.stringify({ errno: 0 }), 'transient'],
    ['HTTP 429', 429, '', 'transient'],
    ['200 with a body that is not JSON', 200, 'upstream reset', 'transient'],

    // parameter and permission: permanent
    ['parameter invalid 2002', 200, errno(2002, 'param error'), 'permanent'],
    ['parameter invalid 40001', 200, errno(40001, 'param error'), 'permanent'],
    ['errno 6001 no permission', 200, errno(6001, 'no permission'), 'permanent'],
    ['errno 44001 no permission', 200, errno(44001, 'no permission'), 'permanent'],
    ['gateway 6 no permission', 200, gateway(6, 'No permission'), 'permanent'],
    ['HTTP 404 text', 404, 'not found', 'permanent'],
    ['no errno at all', 200, JSON.stringify({ msg: 'what' }), 'permanent'],
    ['errno 0 on HTTP 400', 400, JSON.stringify({ errno: 0, data: [] }), 'permanent'],

    // quota: its own class, minutes of backoff
    ['errno 50029 quota exceeded', 200, errno(50029, 'quota exceeded'), 'quota'],
    ['gateway 17 daily request limit', 200, gateway(17, 'Open api daily request limit reached'), 'quota'],
    ['gateway 18 QPS limit', 200, gateway(18, 'Open api qps request limit reached'), 'quota'],

    // unknown: retried a few times on the order's schedule, then failed
    ['an undocumented errno', 200, errno(31337, 'something new'), 'unknown'],
    ['an undocumented error_code', 200, gateway(999, 'something new'), 'unknown'],
  ])('%s (HTTP %i, %s) is %s', (_label, status, text, kind) => {
    // Act
    const outcome = classifyReply(status, text);

    // Assess
    expect(outcome).toMatchObject({ ok: false, kind });
  });

  it.each([
    ["a proxy's 403 page", 403, '<html><body>403 Forbidden</body></html>'],
    ["a wrong base URL's 404", 404, 'Cannot POST /rest/2.0/smartapp/ordercenter/app/add/main/info'],
    ['a 404 of an unsupported method', 404, gateway(3, 'Unsupported openapi method')],
  ])('%s fails for good, naming ORDER_CENTER_BASE_URL', (_label, status, text) => {
    // Act
    const outcome = classifyReply(status, text);

    // Assess
    expect(outcome).toMatchObject({ ok: false, kind: 'permanent' });
    expect(outcome.ok || outcome.message).toContain('ORDER_CENTER_BASE_URL');
  });

  it('keeps the code and message of an unknown reply', () => {
    // Act
    const outcome = classifyReply(200, errno(31337, 'something new'));

    // Assess
    expect(outcome).toMatchObject({ ok: false, errno: 31337, message: 'errno 31337: something new' });
  });

  it('names the orders that were not affected', () => {
    // Act
    const outcome = classifyReply(200, ok([item('1'), { ...item('0'), resource_id: 'R2' }]));

    // Assess
    expect(outcome).toMatchObject({ ok: false, kind: 'not-found', items: [{ resource_id: 'R2' }] });
    expect(outcome.ok || outcome.message).toContain('R2');
  });
});
