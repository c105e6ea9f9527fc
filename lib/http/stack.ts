import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../logger';
import { publishMetrics } from '../metrics';
import {
  accessLog,
  bodyLimit,
  contentType,
  errorReplies,
  httpRouter,
  type StackInternal,
  type StackResult,
} from './middleware';
import { replyMetrics } from './reply-metrics';
import { RoutedRequest, type DirectInvoke, type RouteTable } from './route';

/** docs/contract.md section 6: a bigger body is refused with 413. */
export const MAX_BODY_BYTES = 256 * 1024;

/** A function's triggers: its HTTP routes, and what a direct invoke does. */
export interface LifecycleTriggers {
  routes: RouteTable;
  invoke: DirectInvoke;
}

export type LifecycleHandler = MiddyfiedHandler<unknown, StackResult, Error, Context, StackInternal>;

/**
 * The one middy stack of the lifecycle functions. Before the handler: logger context, start time, route,
 * body size (413), content type (415); the route then checks the signature (401), parses (400, 422) and
 * records (503). On the way out: every error becomes its reply, the reply is counted by status, one log
 * line is written, and the metrics stored meanwhile (Baidu's calls) are published.
 */
export function lifecycleHandler(triggers: LifecycleTriggers): LifecycleHandler {
  return middy<unknown, StackResult, Error, Context, StackInternal>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .use(accessLog({ logger }))
    .use(replyMetrics())
    .use(errorReplies({ logger }))
    .use(httpRouter(triggers.routes))
    .use(bodyLimit({ maxBytes: MAX_BODY_BYTES }))
    .use(contentType())
    .handler((event, context) =>
      event instanceof RoutedRequest
        ? event.route.handle(event.http, context)
        : triggers.invoke(event, context),
    );
}
