import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../read-body';
import type { AddressInfo } from 'node:net';
import { CALL_BY_PATH, type CallName } from './api';
import { InvalidOptionsError, type FieldIssue } from './model';
import { answerCall, type CallOutcome, type ReceivedBody } from './calls';
import {
  answerCashierQuery,
  CashierBook,
  FIND_BY_TP_ORDER_ID,
  paymentIssues,
  type KnownPayment,
} from './cashier';
import { defaultFaults, faultSnapshot, parseFaultPatch, type FaultSettings } from './faults';
import { answerTokenRequest, OAUTH_TOKEN_PATH, type OAuthClient } from './oauth';
import { methodNotAllowed, unknownPath, type Answer } from './replies';
import { renderOrdersPage } from './page';
import { OrderStore, type StoredOrder } from './store';
import { TokenRegistry } from './tokens';

export interface LocalOrderCenterOptions {
  /** default 0 (a free port) */
  port?: number;
  /** default '127.0.0.1' */
  host?: string;
  /** the OAuth clients it knows */
  apps?: OAuthClient[];
  /** expires_in of issued tokens, default 2592000 (30 days, like Baidu) */
  tokenTtlSeconds?: number;
  /** clock in Unix seconds (tests) */
  now?: () => number;
}

export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  call?: CallName | 'oauth/token' | 'pay/findByTpOrderId';
  /** client_secret is recorded as '***' */
  query: Record<string, string>;
  /** the parsed JSON, the raw text when it is not JSON, null when empty */
  body: unknown;
  /** 0 while the request hangs */
  status: number;
  reply: unknown;
  fault?: string;
  /** Unix seconds */
  receivedAt: number;
}

export interface LocalOrderCenter {
  /** origin, no trailing slash, e.g. http://127.0.0.1:43121 */
  readonly url: string;
  /** closes the server and every open or hanging connection promptly */
  stop(): Promise<void>;
  /** a valid token, as if fetched through OAuth; appKey defaults to the first configured app */
  issueToken(appKey?: string): string;
  /** every token issued so far becomes expired (error_code 111) */
  expireTokens(): void;
  faults: FaultSettings;
  setFaults(f: Partial<FaultSettings>): void;
  resetFaults(): void;
  /** every request to Baidu's surface (calls, OAuth, unknown paths), in order; control endpoints are not logged */
  readonly requests: RequestLogEntry[];
  clearRequests(): void;
  orders(): StoredOrder[];
  order(resourceId: string, openId?: string, bizAppId?: string): StoredOrder | undefined;
  /**
   * Tells the local cashier of a payment (paid unless status 1): its query (findByTpOrderId) answers
   * from these, whether or not the payment's notify was ever posted. Refuses a bad one naming the field.
   */
  recordPayment(payment: Partial<KnownPayment> & { tpOrderId: string; totalMoney: number }): KnownPayment;
  payments(): KnownPayment[];
  /** forgets orders, payments, requests and faults; tokens stay */
  reset(): void;
}

/** Misuse of the local Order Center by its host (not a request it answers). */
export class LocalOrderCenterError extends Error {
  override readonly name = 'LocalOrderCenterError';
}

const DEFAULT_TOKEN_TTL_SECONDS = 2_592_000;
const MAX_BODY_BYTES = 1024 * 1024;

function optionIssues(opts: LocalOrderCenterOptions): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { port, host, apps, tokenTtlSeconds } = opts;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    issues.push({ path: 'port', message: 'must be an integer from 0 to 65535' });
  }
  if (host !== undefined && (typeof host !== 'string' || host === '')) {
    issues.push({ path: 'host', message: 'must be a non-empty string' });
  }
  if (tokenTtlSeconds !== undefined && !(Number.isInteger(tokenTtlSeconds) && tokenTtlSeconds > 0)) {
    issues.push({ path: 'tokenTtlSeconds', message: 'must be a positive integer' });
  }
  const seen = new Set<string>();
  (apps ?? []).forEach((app, i) => {
    if (typeof app.appKey !== 'string' || app.appKey === '') {
      issues.push({ path: `apps[${i}].appKey`, message: 'must be a non-empty string' });
    } else if (seen.has(app.appKey)) {
      issues.push({ path: `apps[${i}].appKey`, message: 'is listed twice' });
    }
    seen.add(app.appKey);
    if (typeof app.appSecret !== 'string' || app.appSecret === '') {
      issues.push({ path: `apps[${i}].appSecret`, message: 'must be a non-empty string' });
    }
  });
  return issues;
}

function receivedBody(raw: string): ReceivedBody {
  try {
    return { json: true, value: JSON.parse(raw) };
  } catch {
    return { json: false, text: raw };
  }
}

function redact(params: URLSearchParams): Record<string, string> {
  const entries = Object.fromEntries(params);
  if ('client_secret' in entries) entries.client_secret = '***';
  return entries;
}

/** The body as the request log keeps it; an OAuth form body hides its secret like the query does. */
function loggedBody(call: RequestLogEntry['call'], raw: string, received: ReceivedBody): unknown {
  if (raw === '') return null;
  if (call === 'oauth/token') return redact(new URLSearchParams(raw));
  return received.json ? received.value : received.text;
}

function controlError(status: number, code: string, message: string, details: FieldIssue[] = []): Answer {
  return { status, body: { error: { code, message, details } } };
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed || res.headersSent) return;
  const text = typeof answer.body === 'string';
  const payload = text ? (answer.body as string) : JSON.stringify(answer.body);
  const contentType =
    answer.contentType ?? (text ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8');
  res.writeHead(answer.status, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

class LocalOrderCenterServer implements LocalOrderCenter {
  faults: FaultSettings = defaultFaults();
  readonly requests: RequestLogEntry[] = [];
  private seq = 0;
  private address = '';
  private stopping?: Promise<void>;
  private readonly store = new OrderStore();
  private readonly cashier = new CashierBook();
  private readonly tokens: TokenRegistry;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: Server;
  private readonly now: () => number;
  private readonly apps: readonly OAuthClient[];

  constructor(opts: LocalOrderCenterOptions) {
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.apps = (opts.apps ?? []).map((app) => ({ ...app }));
    this.tokens = new TokenRegistry(opts.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS, this.now);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => this.fail(res, err));
    });
  }

  get url(): string {
    return this.address;
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port: bound } = this.server.address() as AddressInfo;
    this.address = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  }

  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.server.close(() => resolve());
      // Hanging and delayed requests would otherwise keep close() waiting forever.
      this.server.closeAllConnections();
    });
    return this.stopping;
  }

  issueToken(appKey?: string): string {
    const key = appKey ?? this.apps[0]?.appKey;
    if (!key) throw new LocalOrderCenterError('issueToken needs an appKey: no apps were configured');
    return this.tokens.issue(key);
  }

  expireTokens(): void {
    this.tokens.expireAll();
  }

  setFaults(f: Partial<FaultSettings>): void {
    Object.assign(this.faults, parseFaultPatch(f, { allowRandom: true }));
  }

  resetFaults(): void {
    Object.assign(this.faults, defaultFaults());
  }

  clearRequests(): void {
    this.requests.length = 0;
    this.seq = 0;
  }

  orders(): StoredOrder[] {
    return this.store.all();
  }

  order(resourceId: string, openId?: string, bizAppId?: string): StoredOrder | undefined {
    return this.store.find(resourceId, openId, bizAppId);
  }

  recordPayment(payment: Partial<KnownPayment> & { tpOrderId: string; totalMoney: number }): KnownPayment {
    const issues = paymentIssues(payment);
    if (issues.length > 0) throw new InvalidOptionsError(issues, 'invalid cashier payment');
    return this.cashier.record(payment, this.now());
  }

  payments(): KnownPayment[] {
    return this.cashier.all();
  }

  reset(): void {
    this.store.clear();
    this.cashier.clear();
    this.clearRequests();
    this.resetFaults();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    const raw = await readBody(req, MAX_BODY_BYTES);
    const control = this.answerControl(method, url.pathname, raw, url.searchParams);
    if (control) {
      send(res, control);
      return;
    }
    const receivedAt = this.now();
    const received = receivedBody(raw);
    const { outcome, call } = this.answerBaidu(method, url, raw, received, receivedAt);
    this.requests.push({
      seq: ++this.seq,
      method,
      path: url.pathname,
      call,
      query: redact(url.searchParams),
      body: loggedBody(call, raw, received),
      status: outcome.hang ? 0 : outcome.answer.status,
      reply: outcome.hang ? null : outcome.answer.body,
      fault: outcome.fault,
      receivedAt,
    });
    if (outcome.hang) return;
    await this.delay(this.faults.latencyMs);
    send(res, outcome.answer);
  }

  private answerBaidu(
    method: string,
    url: URL,
    raw: string,
    received: ReceivedBody,
    receivedAt: number,
  ): { outcome: CallOutcome; call?: RequestLogEntry['call'] } {
    const call = CALL_BY_PATH.get(url.pathname);
    if (call) {
      if (method !== 'POST') {
        return { call, outcome: { hang: false, answer: methodNotAllowed(method, 'POST') } };
      }
      const deps = { tokens: this.tokens, store: this.store, faults: this.faults };
      const request = { call, query: url.searchParams, body: received, receivedAt };
      return { call, outcome: answerCall(request, deps) };
    }
    if (url.pathname === FIND_BY_TP_ORDER_ID) {
      const call = 'pay/findByTpOrderId';
      if (method !== 'GET')
        return { call, outcome: { hang: false, answer: methodNotAllowed(method, 'GET') } };
      return {
        call,
        outcome: { hang: false, answer: answerCashierQuery(url.searchParams, this.tokens, this.cashier) },
      };
    }
    if (url.pathname === OAUTH_TOKEN_PATH) {
      const oauth = 'oauth/token';
      if (method !== 'GET' && method !== 'POST') {
        return { call: oauth, outcome: { hang: false, answer: methodNotAllowed(method, 'GET or POST') } };
      }
      // Baidu takes the parameters in the query or, on POST, as a form body.
      const params = new URLSearchParams([...url.searchParams, ...new URLSearchParams(raw)]);
      return {
        call: oauth,
        outcome: { hang: false, answer: answerTokenRequest(params, this.apps, this.tokens) },
      };
    }
    return { outcome: { hang: false, answer: unknownPath(url.pathname) } };
  }

  /** The endpoints a test, the local stack or a demo uses to drive and inspect this server. */
  private answerControl(
    method: string,
    path: string,
    raw: string,
    query: URLSearchParams,
  ): Answer | undefined {
    const only = (allowed: string, answer: () => Answer): Answer =>
      method === allowed
        ? answer()
        : controlError(405, 'method_not_allowed', `${method} ${path} is not allowed, use ${allowed}`);
    switch (path) {
      case '/':
        return only('GET', () => ({
          status: 200,
          body: renderOrdersPage(this.orders(), { openId: query.get('open_id') || undefined }),
          contentType: 'text/html; charset=utf-8',
        }));
      // Browsers ask for it by themselves when they open the page: no icon, but no 404 either.
      case '/favicon.ico':
        return only('GET', () => ({ status: 204, body: '' }));
      case '/orders':
        return only('GET', () => ({ status: 200, body: this.orders() }));
      case '/requests':
        return only('GET', () => ({ status: 200, body: this.requests }));
      case '/__cashier/payments':
        if (method === 'GET') return { status: 200, body: this.payments() };
        return only('POST', () => this.postPayment(raw));
      case '/__faults':
        return only('POST', () => this.patchFaults(raw));
      case '/__reset':
        return only('POST', () => {
          this.reset();
          return { status: 200, body: { reset: true } };
        });
      default:
        return undefined;
    }
  }

  private postPayment(raw: string): Answer {
    const body = receivedBody(raw);
    if (!body.json) return controlError(400, 'invalid_json', 'the body must be a JSON object: a payment');
    const issues = paymentIssues(body.value);
    if (issues.length > 0) return controlError(400, 'invalid_payment', 'invalid cashier payment', issues);
    const payment = body.value as Partial<KnownPayment> & { tpOrderId: string; totalMoney: number };
    return { status: 200, body: this.cashier.record(payment, this.now()) };
  }

  private patchFaults(raw: string): Answer {
    const body = receivedBody(raw);
    if (!body.json) {
      return controlError(400, 'invalid_json', 'the body must be a JSON object of fault settings');
    }
    try {
      Object.assign(this.faults, parseFaultPatch(body.value));
    } catch (err) {
      if (!(err instanceof InvalidOptionsError)) throw err;
      return controlError(400, 'invalid_faults', err.message, err.issues);
    }
    return { status: 200, body: faultSnapshot(this.faults) };
  }

  private delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private fail(res: ServerResponse, err: unknown): void {
    if (err instanceof BodyTooLargeError) {
      send(res, controlError(413, 'body_too_large', err.message));
    } else if (!res.destroyed) {
      send(res, controlError(500, 'internal', err instanceof Error ? err.message : String(err)));
    }
  }
}

/** Starts the local Order Center on 127.0.0.1 (a free port unless told); stop() it when done. */
export async function startLocalOrderCenter(opts: LocalOrderCenterOptions = {}): Promise<LocalOrderCenter> {
  const issues = optionIssues(opts);
  if (issues.length > 0) throw new InvalidOptionsError(issues, 'invalid local Order Center options');
  const center = new LocalOrderCenterServer(opts);
  await center.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return center;
}
