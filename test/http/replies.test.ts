import {
  acceptedReply,
  cashierSuccessReply,
  INTERNAL_ERROR,
  pushDeadline,
  refusalReply,
} from '../../lib/http';

const refusal = {
  status: 422,
  code: 'invalid_event',
  message: 'invalid shipped event: eventId: is required',
  details: [{ path: 'eventId', message: 'is required' }],
};

describe('replies', () => {
  it('202 carries exactly orderId, eventId, duplicate and sync', () => {
    const reply = acceptedReply({ orderId: 'o1', eventId: 'e1', duplicate: true, sync: 'pending' });
    expect(reply.statusCode).toBe(202);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(reply.body)).toEqual({
      orderId: 'o1',
      eventId: 'e1',
      duplicate: true,
      sync: 'pending',
    });
  });

  it("the cashier's success is Baidu's exact shape", () => {
    const reply = cashierSuccessReply();
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toBe('{"errno":0,"msg":"success","data":{"isConsumed":2}}');
  });

  it('a merchant refusal is the error object alone', () => {
    const reply = refusalReply('merchant', refusal);
    expect(reply.statusCode).toBe(422);
    expect(JSON.parse(reply.body)).toEqual({
      error: { code: 'invalid_event', message: refusal.message, details: refusal.details },
    });
  });

  it.each([400, 401, 413, 415, 422, 503, 500])('a cashier refusal with status %i has errno ≠ 0', (status) => {
    const reply = refusalReply('cashier', { ...refusal, status });
    const body = JSON.parse(reply.body);
    expect(reply.statusCode).toBe(status);
    expect(body.errno).not.toBe(0);
    expect(body).toMatchObject({
      msg: refusal.message,
      error: { code: 'invalid_event', details: refusal.details },
    });
  });

  it('a 500 says nothing of the fault', () => {
    expect(JSON.parse(refusalReply('merchant', INTERNAL_ERROR).body)).toEqual({
      error: { code: 'internal_error', message: INTERNAL_ERROR.message, details: [] },
    });
  });
});

describe('pushDeadline', () => {
  const NOW = 1_000_000;
  it.each<[string, number, number | undefined, number]>([
    ['the budget when the Lambda has time', 1_500, 30_000, NOW + 1_500],
    ['less when the Lambda has less (500 ms kept for the reply)', 1_500, 1_200, NOW + 700],
    ['now when the Lambda has almost none', 1_500, 300, NOW],
    ['the budget without a Lambda clock', 1_200, undefined, NOW + 1_200],
  ])('%s', (_name, budget, remaining, expected) => {
    const context = remaining === undefined ? {} : { getRemainingTimeInMillis: () => remaining };
    expect(pushDeadline(NOW, budget, context)).toBe(expected);
  });
});
