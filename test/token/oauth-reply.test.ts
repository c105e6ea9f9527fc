import { OAuthError, parseTokenReply } from '../../lib/token';

describe('parseTokenReply', () => {
  it.each([
    ['a number expires_in', 200, { access_token: 'tok', expires_in: 2592000 }, 2592000],
    ['a digit-string expires_in', 200, { access_token: 'tok', expires_in: '86400' }, 86400],
    ['extra fields', 200, { access_token: 'tok', expires_in: 60, session_key: 'x', scope: 's' }, 60],
  ])('reads a grant with %s', (_case, status, body, expiresIn) => {
    expect(parseTokenReply(status, JSON.stringify(body))).toEqual({ accessToken: 'tok', expiresIn });
  });

  it.each<[string, number, string, OAuthError['reason'], string]>([
    [
      'an OAuth refusal',
      400,
      '{"error":"invalid_client","error_description":"unknown client_id"}',
      'rejected',
      'invalid_client: unknown client_id',
    ],
    [
      'a refusal without a description',
      400,
      '{"error":"invalid_scope"}',
      'rejected',
      'invalid_scope: (no description)',
    ],
    [
      'a gateway refusal',
      200,
      '{"error_code":110,"error_msg":"Access token invalid or no longer valid"}',
      'rejected',
      '110: Access token invalid or no longer valid',
    ],
    ['an HTTP error with JSON', 503, '{}', 'http', 'OAuth token request: HTTP 503'],
    ['an HTTP error with HTML', 502, '<html/>', 'http', 'OAuth token request: HTTP 502, reply not JSON'],
    ['an empty body', 200, '', 'malformed', 'OAuth token reply (HTTP 200) is not a JSON object'],
    ['JSON null', 200, 'null', 'malformed', 'OAuth token reply (HTTP 200) is not a JSON object'],
    ['a missing access_token', 200, '{"expires_in":1}', 'malformed', 'access_token is missing or empty'],
    [
      'a numeric access_token',
      200,
      '{"access_token":1,"expires_in":1}',
      'malformed',
      'access_token is missing',
    ],
    [
      'a blank access_token',
      200,
      '{"access_token":" ","expires_in":1}',
      'malformed',
      'access_token is missing',
    ],
    [
      'a zero expires_in',
      200,
      '{"access_token":"t","expires_in":0}',
      'malformed',
      'expires_in must be a positive',
    ],
    ['a negative expires_in', 200, '{"access_token":"t","expires_in":-5}', 'malformed', 'expires_in must be'],
    ['a text expires_in', 200, '{"access_token":"t","expires_in":"soon"}', 'malformed', 'expires_in must be'],
  ])('refuses %s', (_case, status, body, reason, message) => {
    const act = (): unknown => parseTokenReply(status, body);

    expect(act).toThrow(OAuthError);
    expect(act).toThrow(
      expect.objectContaining({ reason, status, message: expect.stringContaining(message) }),
    );
  });

  it('passes text taken from the reply through the scrubber', () => {
    const act = (): unknown =>
      parseTokenReply(400, '{"error":"invalid_client","error_description":"bad s3cret"}', (t) =>
        t.replace('s3cret', '***'),
      );

    expect(act).toThrow('invalid_client: bad ***');
  });
});
