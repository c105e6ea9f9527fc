import { createHash } from 'node:crypto';
import type { Fact } from '../events/types';

/**
 * JSON with object keys sorted (by code unit) at every depth and no whitespace, undefined members
 * dropped as JSON.stringify drops them: two values that are equal as JSON give the same text, whatever
 * their key order or spacing on the wire.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/**
 * What an eventId names, hashed (sha256, base64url): the content of the fact as the sender sent it.
 * Nothing of the transport (signature header, the route's `type`, form encoding) is in a fact, so the
 * same event over HTTP or by direct invoke is the same content. Baidu's callbacks carry no event time
 * of their own for every kind, so their occurredAt may be when we received them: it is left out, and
 * the callback's fields (all kept in the fact) decide. A cashier payment's time is left out too, and how
 * it was learnt: the cashier's query (CONTRACT section 5c) tells no payTime, and the notify that may follow
 * it names the same payment (same cashier order, status and amounts), so it must be a duplicate of it.
 */
export function factFingerprint(fact: Fact): string {
  if (fact.source !== 'cashier') return hash(fact);
  const { occurredAt: _occurredAt, ...rest } = fact;
  const content: Record<string, unknown> = { ...rest };
  if (fact.payment) {
    const { paidAt: _paidAt, ...payment } = fact.payment;
    content.payment = payment;
  }
  if (fact.cashier) {
    const { payTime: _payTime, via: _via, ...cashier } = fact.cashier;
    content.cashier = cashier;
  }
  return hash(content);
}

/**
 * The fingerprint a cashier fact had before payment times were left out: what the ledger holds for
 * callbacks recorded by the release before the payment check. A retry of one of those is still a duplicate.
 */
export function legacyFactFingerprint(fact: Fact): string | undefined {
  if (fact.source !== 'cashier') return undefined;
  const { occurredAt: _occurredAt, ...rest } = fact;
  return hash(rest);
}

function hash(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('base64url');
}
