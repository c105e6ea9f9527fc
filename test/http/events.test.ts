import { isHttpApiEvent, parseContentType, toHttpRequest } from '../../lib/http';
import { httpEvent } from './helpers';

describe('isHttpApiEvent', () => {
  it.each<[string, unknown, boolean]>([
    ['an HTTP API (payload 2.0) event', httpEvent('POST /events/shipped', '{}'), true],
    ['a merchant event', { eventId: 'e1', orderId: 'o1', occurredAt: 1764316800 }, false],
    ['a merchant event that carries a version', { version: '2.0', eventId: 'e1' }, false],
    [
      'a REST API (payload 1.0) event',
      { httpMethod: 'POST', path: '/events/shipped', requestContext: {} },
      false,
    ],
    [
      'a v2 event without requestContext.http',
      { version: '2.0', routeKey: 'POST /x', requestContext: {} },
      false,
    ],
    ['an array', [], false],
    ['null', null, false],
    ['a string', 'POST /events/shipped', false],
  ])('%s: %p', (_name, event, expected) => {
    expect(isHttpApiEvent(event)).toBe(expected);
  });
});

describe('toHttpRequest', () => {
  it('lowercases header names and keeps the body as sent', () => {
    // Prepare
    const event = httpEvent('POST /events/shipped', '{"a":1}', {
      headers: { 'Content-Type': 'application/json', 'X-Signature': 't=1,v1=ab' },
    });

    // Act
    const request = toHttpRequest(event);

    // Assess
    expect(request).toMatchObject({
      routeKey: 'POST /events/shipped',
      method: 'POST',
      path: '/events/shipped',
      headers: { 'content-type': 'application/json', 'x-signature': 't=1,v1=ab' },
    });
    expect(request.body.toString('utf8')).toBe('{"a":1}');
  });

  it('decodes a base64 body to its bytes', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x00, 0x7d]);
    const request = toHttpRequest(
      httpEvent('POST /baidu/payment-notify', bytes.toString('base64'), { isBase64Encoded: true }),
    );
    expect(request.body.equals(bytes)).toBe(true);
  });

  it('takes an absent body as empty', () => {
    expect(toHttpRequest(httpEvent('POST /events/shipped', undefined)).body.length).toBe(0);
  });

  it('names a catch-all ($default) route by method and path', () => {
    const event = { ...httpEvent('POST /events/shipped', '{}'), routeKey: '$default' };
    expect(toHttpRequest(event).routeKey).toBe('POST /events/shipped');
  });
});

describe('parseContentType', () => {
  it.each<[string | undefined, ReturnType<typeof parseContentType>]>([
    ['application/json', { type: 'application/json' }],
    ['Application/JSON; charset=UTF-8', { type: 'application/json', charset: 'utf-8' }],
    ['application/json;charset="utf-8"', { type: 'application/json', charset: 'utf-8' }],
    ['application/x-www-form-urlencoded; boundary=x', { type: 'application/x-www-form-urlencoded' }],
    ['text/plain; charset=iso-8859-1', { type: 'text/plain', charset: 'iso-8859-1' }],
    ['', undefined],
    ['; charset=utf-8', undefined],
    [undefined, undefined],
  ])('%p', (header, expected) => {
    expect(parseContentType(header)).toEqual(expected);
  });
});
