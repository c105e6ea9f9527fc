import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { IntakeReply } from '../intake';
import { asHttpError, PayloadTooLargeError, RouteNotFoundError, UnsupportedMediaTypeError } from './errors';
import { isHttpApiEvent, parseContentType, toHttpRequest } from './events';
import { INTERNAL_ERROR, refusalReply, type HttpReply, type Refusal } from './replies';
import { RoutedRequest, type RouteTable } from './route';

/**
 * A direct invoke's answer to input it can never accept: given, not thrown, so an asynchronous invoke is
 * not retried (Lambda retries whatever throws) and a synchronous caller still reads which field is wrong.
 */
export interface InvokeRefusal {
  refused: Refusal;
}

/** An HTTP reply for an API Gateway event; for a direct invoke, the intake reply or its refusal. */
export type StackResult = HttpReply | IntakeReply | InvokeRefusal;

/** What the middlewares tell each other about one request. */
export interface StackInternal extends Record<string, unknown> {
  /** epoch ms */
  startedAt?: number;
  /** why the request was refused, once the error mapper has looked at the error */
  refusal?: Refusal;
}

export type StackMiddleware = MiddlewareObj<unknown, StackResult, Error, Context, StackInternal>;
type StackRequest = Request<unknown, StackResult, Error, Context, StackInternal>;

const isHttp = (event: unknown): boolean => event instanceof RoutedRequest || isHttpApiEvent(event);

export const isInvokeRefusal = (response: StackResult | null | undefined): response is InvokeRefusal =>
  typeof response === 'object' && response !== null && 'refused' in response;

const isHttpReply = (response: StackResult | null | undefined): response is HttpReply =>
  typeof response === 'object' && response !== null && 'statusCode' in response;

/**
 * Finds the route of an HTTP API event and replaces the event with a RoutedRequest. Any other event is a
 * direct invoke and passes untouched.
 */
export function httpRouter(routes: RouteTable): StackMiddleware {
  return {
    before(request) {
      const { event } = request;
      if (!isHttpApiEvent(event)) return;
      const http = toHttpRequest(event);
      const route = Object.hasOwn(routes, http.routeKey) ? routes[http.routeKey] : undefined;
      if (!route) {
        const served = Object.keys(routes).join(', ');
        throw new RouteNotFoundError(`${http.routeKey} is not served here`, [
          { path: 'route', message: `must be one of: ${served}` },
        ]);
      }
      request.event = new RoutedRequest(http, route);
    },
  };
}

/** 413 for a body over maxBytes, counted on the bytes as sent (after base64 decoding). */
export function bodyLimit(options: { maxBytes: number }): StackMiddleware {
  return {
    before({ event }) {
      if (!(event instanceof RoutedRequest)) return;
      const size = event.http.body.length;
      if (size > options.maxBytes) {
        const message = `is ${size} bytes; at most ${options.maxBytes} are accepted`;
        throw new PayloadTooLargeError(`the body ${message}`, [{ path: 'body', message }]);
      }
    },
  };
}

/** 415 unless the body is of the route's media type, in UTF-8 when a charset is given. */
export function contentType(): StackMiddleware {
  return {
    before({ event }) {
      if (!(event instanceof RoutedRequest)) return;
      const expected = event.route.accepts;
      const given = parseContentType(event.http.headers['content-type']);
      const problem = !given
        ? 'is missing'
        : given.type !== expected
          ? `is ${given.type}`
          : given.charset !== undefined && given.charset !== 'utf-8'
            ? `has charset ${given.charset}`
            : undefined;
      if (problem) {
        const message = `must be ${expected} (charset utf-8 allowed), but ${problem}`;
        throw new UnsupportedMediaTypeError(`Content-Type ${message}`, [{ path: 'Content-Type', message }]);
      }
    },
  };
}

/**
 * Turns every refusal into its reply, in the route's style, and anything else into a logged 500: the
 * refusals cover every kind of bad input, so a 500 is always a fault of ours. A direct invoke refused for
 * its input (4xx) is answered with an InvokeRefusal (logged once by accessLog, never retried); any other
 * failure (the ledger down: 503) propagates, so the invocation fails and an asynchronous one is retried.
 */
export function errorReplies(options: { logger: Logger }): StackMiddleware {
  return {
    onError(request) {
      const known = asHttpError(request.error);
      const refusal: Refusal = known
        ? { status: known.status, code: known.code, message: known.message, details: known.details }
        : INTERNAL_ERROR;
      request.internal.refusal = refusal;
      if (!known) options.logger.error('internal fault', { error: request.error ?? undefined });
      if (!isHttp(request.event)) {
        if (known && known.status < 500) request.response = { refused: refusal };
        return;
      }
      const style = request.event instanceof RoutedRequest ? request.event.route.replies : 'merchant';
      request.response = refusalReply(style, refusal);
    },
  };
}

/** Paths can be key names the sender chose: a few, cut short, so a hostile body cannot flood the log. */
const MAX_LOGGED_FIELDS = 20;
const MAX_LOGGED_PATH = 100;
const loggedFields = (refusal: Refusal): string[] =>
  refusal.details.slice(0, MAX_LOGGED_FIELDS).map((detail) => detail.path.slice(0, MAX_LOGGED_PATH));

/**
 * One line per request: route, status, duration, and the keys the handler appended (orderId, eventId,
 * duplicate, sync). Refusals at warn with their code and the fields they name; never a body or a header.
 */
export function accessLog(options: { logger: Logger; now?: () => number }): StackMiddleware {
  const now = options.now ?? Date.now;
  const write = (request: StackRequest): void => {
    const { event, internal, response } = request;
    const refusal = internal.refusal;
    const route =
      event instanceof RoutedRequest
        ? event.http.routeKey
        : isHttpApiEvent(event)
          ? event.routeKey
          : 'invoke';
    const status = isHttp(event)
      ? isHttpReply(response)
        ? response.statusCode
        : (refusal?.status ?? INTERNAL_ERROR.status)
      : refusal
        ? isInvokeRefusal(response)
          ? 'refused'
          : 'failed'
        : 'ok';
    const line = { route, status, durationMs: now() - (internal.startedAt ?? now()) };
    if (!refusal) {
      options.logger.info('request done', line);
      return;
    }
    const why = { ...line, reason: refusal.code, fields: loggedFields(refusal) };
    if (refusal.status >= 500) options.logger.error('request failed', why);
    else options.logger.warn('request refused', why);
  };
  return {
    before(request) {
      request.internal.startedAt = now();
    },
    after: write,
    onError: write,
  };
}
