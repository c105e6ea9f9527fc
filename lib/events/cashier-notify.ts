import { sign, verify, type KeyObject } from 'node:crypto';
import { ValidationError, object, string, type InferType } from 'yup';
import { once } from '../once';
import { InvalidInputError, issuesFromYup, type FieldIssue } from '../validation';
import { BASE64, CashierKeyError, loadCashierPublicKey } from './cashier-key';
import { unixNow, type UnixClock } from './clock';
import { MESSAGES, orderIdSchema } from './merchant-schema';
import type { CashierPayment, Fact } from './types';

// Baidu cashier payment notify (docs/contract.md section 5): the form body, its SHA1withRSA signature, the fact.

export { CashierKeyError, loadCashierPublicKey };

const decodeFormComponent = (text: string): string => decodeURIComponent(text.replace(/\+/g, ' '));

/**
 * Decodes an application/x-www-form-urlencoded body. A duplicated key is refused rather than
 * resolved: the signature covers one value per key, and picking one would verify something else.
 */
export function parseFormBody(raw: string): Record<string, string> {
  const fields = new Map<string, string>();
  const issues: FieldIssue[] = [];
  const seenTwice = new Set<string>();
  raw.split('&').forEach((segment, index) => {
    if (segment === '') return;
    const eq = segment.indexOf('=');
    const rawKey = eq < 0 ? segment : segment.slice(0, eq);
    const rawValue = eq < 0 ? '' : segment.slice(eq + 1);
    let key: string;
    try {
      key = decodeFormComponent(rawKey);
    } catch {
      issues.push({ path: rawKey, message: 'malformed percent-encoding in the field name' });
      return;
    }
    if (key === '') {
      issues.push({ path: '', message: `field ${index + 1} has no name` });
      return;
    }
    if (fields.has(key)) {
      if (!seenTwice.has(key)) issues.push({ path: key, message: 'appears more than once' });
      seenTwice.add(key);
      return;
    }
    try {
      fields.set(key, decodeFormComponent(rawValue));
    } catch {
      issues.push({ path: key, message: 'malformed percent-encoding' });
    }
  });
  if (issues.length > 0) throw new InvalidInputError(issues, 'invalid form body');
  return Object.fromEntries(fields);
}

/** Fields the signature does not cover: the signature itself, in either of Baidu's spellings. */
export const CASHIER_UNSIGNED_FIELDS: ReadonlySet<string> = new Set(['rsaSign', 'sign', 'sign_type']);

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The exact string Baidu signs: every other field, empty ones too, sorted by key, `k=v` joined by `&`. */
export function cashierSignContent(fields: Readonly<Record<string, string>>): string {
  return Object.keys(fields)
    .filter((key) => !CASHIER_UNSIGNED_FIELDS.has(key))
    .sort(byteOrder)
    .map((key) => `${key}=${fields[key]}`)
    .join('&');
}

function decodeSignature(value: unknown): Buffer | undefined {
  if (typeof value !== 'string') return undefined;
  // Base64 has no spaces: a space here is a '+' that a sender left unencoded and the form decoding turned.
  const text = value.replace(/ /g, '+');
  return text !== '' && BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/**
 * Whether `rsaSign` is Baidu's SHA1withRSA signature of the other fields (decoded values).
 * A missing or garbled signature is simply false; only an unusable key throws (CashierKeyError).
 */
export function verifyCashierSignature(
  fields: Readonly<Record<string, string>>,
  publicKey: string | KeyObject,
): boolean {
  const key = loadCashierPublicKey(publicKey);
  const signature = decodeSignature(Object.hasOwn(fields, 'rsaSign') ? fields.rsaSign : undefined);
  if (!signature) return false;
  try {
    return verify('sha1', Buffer.from(cashierSignContent(fields)), key, signature);
  } catch {
    return false;
  }
}

/** Signs fields as Baidu would (base64 SHA1withRSA), for tests and the local demo that play the cashier. */
export function signCashierFields(
  fields: Readonly<Record<string, string>>,
  privateKey: string | KeyObject,
): string {
  return sign('sha1', Buffer.from(cashierSignContent(fields)), privateKey).toString('base64');
}

export interface ParseCashierNotifyOptions {
  /** The current time in Unix seconds; dates a cancellation that carries no payTime. */
  now?: UnixClock;
}

export const CASHIER_STATUS = { paid: '2', cancelled: '-1' } as const;

// Up to 15 digits stays within Number.MAX_SAFE_INTEGER.
const DIGITS = /^\d{1,15}$/;

const presentString = () => string().typeError(MESSAGES.string).defined(MESSAGES.required);
const digitString = (message: string) =>
  presentString().required(MESSAGES.required).matches(DIGITS, { message, excludeEmptyString: true });

/**
 * Built on the first notify (issue 21: no schema is built at load). Marked pure, as once() is, so a bundle
 * that never parses a notify drops it: lib/events' index reaches this module from every event function.
 */
const cashierNotifySchema = /* @__PURE__ */ once(() =>
  object({
    tpOrderId: orderIdSchema(),
    orderId: orderIdSchema(),
    status: presentString()
      .required(MESSAGES.required)
      .oneOf(Object.values(CASHIER_STATUS), 'must be 2 (paid) or -1 (cancelled)'),
    totalMoney: digitString(MESSAGES.fen),
    payMoney: digitString(MESSAGES.fen),
    payTime: presentString().when('status', {
      is: CASHIER_STATUS.paid,
      then: (schema) =>
        schema.required(MESSAGES.required).matches(/^0*[1-9]\d{0,14}$/, {
          message: 'must be a Unix time in whole seconds (> 0)',
          excludeEmptyString: true,
        }),
      otherwise: (schema) =>
        schema.matches(DIGITS, { message: 'must be a Unix time in whole seconds', excludeEmptyString: true }),
    }),
    userId: presentString(),
    dealId: presentString(),
  }),
);

/**
 * Validates a decoded (and already verified) cashier notify and turns it into the fact it records.
 * Fields beyond the ones read here are ignored: Baidu adds fields, and the signature already covers them.
 * The eventId depends on the notify alone, so Baidu's retries of one notify are duplicates.
 */
export function parseCashierNotify(
  fields: Readonly<Record<string, unknown>>,
  opts: ParseCashierNotifyOptions = {},
): Fact {
  let valid: InferType<ReturnType<typeof cashierNotifySchema>>;
  try {
    valid = cashierNotifySchema().validateSync(fields, { strict: true, abortEarly: false });
  } catch (err) {
    if (err instanceof ValidationError)
      throw new InvalidInputError(issuesFromYup(err), 'invalid cashier notify');
    throw err;
  }
  const payTime = valid.payTime === '' ? 0 : Number(valid.payTime);
  const cashier: CashierPayment = {
    orderId: valid.orderId,
    userId: valid.userId,
    totalMoney: Number(valid.totalMoney),
    payMoney: Number(valid.payMoney),
    dealId: valid.dealId,
    payTime,
    status: Number(valid.status),
  };
  const common = {
    eventId: `cashier:${valid.orderId}:${valid.status}`,
    source: 'cashier',
    orderId: valid.tpOrderId,
  } as const;
  if (valid.status === CASHIER_STATUS.paid) {
    return {
      ...common,
      kind: 'paid',
      occurredAt: payTime,
      payment: { paidAt: payTime, amount: cashier.totalMoney, cashierOrderId: valid.orderId },
      cashier,
    };
  }
  return {
    ...common,
    kind: 'closed',
    occurredAt: payTime > 0 ? payTime : (opts.now ?? unixNow)(),
    reason: 'cashier: cancelled',
    cashier,
  };
}
