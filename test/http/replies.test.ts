import {
  acceptedReply,
  cashierSuccessReply,
  INTERNAL_ERROR,
  MAX_REFUSAL_BYTES,
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

  it.each(['merchant', 'cashier'] as const)(
    'a %s refusal naming 10,000 hostile fields stays within 20 fields and 8 KiB',
    (style) => {
      // Prepare: key names the sender chose, long and full of control characters (6 bytes each in JSON)
      const details = Array.from({ length: 10_000 }, (_, i) => ({
        path: `order.${'\u001b'.repeat(500)}${i}`,
        message: 'is not a known field',
      }));
      const message = details.map((d) => `${d.path}: ${d.message}`).join('; ');

      // Act
      const reply = refusalReply(style, { ...refusal, message, details });

      // Assess
      const body = JSON.parse(reply.body);
      expect(Buffer.byteLength(reply.body)).toBeLessThanOrEqual(MAX_REFUSAL_BYTES);
      expect(body.error.details.length).toBeGreaterThan(0);
      expect(body.error.details.length).toBeLessThanOrEqual(20);
      expect(body.error.message).toMatch(/more fields not listed\)$/);
      expect(body.error.details[0].path.startsWith('order.\u001b')).toBe(true);
    },
  );

  it('a short refusal is sent whole', () => {
    const details = Array.from({ length: 20 }, (_, i) => ({
      path: `order.items[${i}].id`,
      message: 'is required',
    }));
    const body = JSON.parse(refusalReply('merchant', { ...refusal, details }).body);
    expect(body.error).toEqual({ code: refusal.code, message: refusal.message, details });
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
