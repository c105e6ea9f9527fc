import { parseFormBody } from '../events';
import { InvalidInputError } from '../validation';
import { MalformedBodyError } from './errors';

type BodyCode = MalformedBodyError['code'];

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Invalid UTF-8 is refused, not patched with U+FFFD: a silently changed byte would be recorded as sent. */
function text(body: Buffer, code: BodyCode): string {
  try {
    return utf8.decode(body);
  } catch {
    const message = 'is not UTF-8';
    throw new MalformedBodyError(code, `the body ${message}`, [{ path: 'body', message }]);
  }
}

/** The JSON value of a body; 400 `malformed_json` when it is not JSON. */
export function jsonBody(body: Buffer): unknown {
  const source = text(body, 'malformed_json');
  try {
    return JSON.parse(source);
  } catch (err) {
    const message = `is not valid JSON (${err instanceof Error ? err.message : String(err)})`;
    throw new MalformedBodyError('malformed_json', `the body ${message}`, [{ path: 'body', message }]);
  }
}

/** The fields of a form-encoded body; 400 `malformed_form` naming each field that cannot be decoded. */
export function formBody(body: Buffer): Record<string, string> {
  const source = text(body, 'malformed_form');
  try {
    return parseFormBody(source);
  } catch (err) {
    if (err instanceof InvalidInputError) {
      throw new MalformedBodyError('malformed_form', err.message, err.issues);
    }
    throw err;
  }
}
