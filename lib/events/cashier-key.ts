import { KeyObject, createPublicKey } from 'node:crypto';

// The cashier platform's public key (CONTRACT.md section 5), on its own: the service wiring turns the
// configured key into a KeyObject for every function, and none of them should bundle the notify's form
// parsing and schema for that (reconcile checks no signature at all).

/** A key that cannot verify cashier signatures: a configuration fault, never the notify's. */
export class CashierKeyError extends Error {
  override readonly name = 'CashierKeyError';
}

export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function requireRsa(key: KeyObject): KeyObject {
  if (key.type === 'secret')
    throw new CashierKeyError('cashier public key is a secret key, not an RSA public key');
  if (key.asymmetricKeyType !== 'rsa') {
    throw new CashierKeyError(`cashier public key is ${String(key.asymmetricKeyType)}, not RSA`);
  }
  return key;
}

function keyFromDer(der: Buffer): KeyObject {
  // Baidu's console shows SPKI; a PKCS#1 key pasted from elsewhere is just as usable.
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      return createPublicKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  throw new CashierKeyError('cashier public key is base64 but not an SPKI or PKCS#1 public key');
}

/**
 * Turns the configured platform public key into a KeyObject once: bare base64 of the SPKI DER (as
 * Baidu's console shows it, whitespace and line breaks allowed) or PEM (literal `\n` escapes allowed,
 * as a PEM pasted into one line of configuration has them).
 */
export function loadCashierPublicKey(key: string | KeyObject): KeyObject {
  if (key instanceof KeyObject) return requireRsa(key);
  const text = key.trim().replace(/\\n/g, '\n');
  if (text === '') throw new CashierKeyError('cashier public key is empty');
  if (text.includes('-----BEGIN')) {
    let parsed: KeyObject;
    try {
      parsed = createPublicKey(text);
    } catch {
      throw new CashierKeyError('cashier public key is PEM but not a readable key');
    }
    return requireRsa(parsed);
  }
  const bare = text.replace(/\s+/g, '');
  if (!BASE64.test(bare)) throw new CashierKeyError('cashier public key is neither PEM nor base64');
  return requireRsa(keyFromDer(Buffer.from(bare, 'base64')));
}
