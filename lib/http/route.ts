import type { Context } from 'aws-lambda';
import type { IntakeReply } from '../intake';
import type { HttpRequest } from './events';
import type { HttpReply, ReplyStyle } from './replies';

/** The body media types the routes take. */
export type AcceptedMediaType = 'application/json' | 'application/x-www-form-urlencoded';

/** One HTTP route of a function: what body it takes, how it refuses, and what it does with a request. */
export interface Route {
  accepts: AcceptedMediaType;
  replies: ReplyStyle;
  /** Throws for a refusal (HttpError or a domain error that asHttpError maps); the stack writes the reply. */
  handle(request: HttpRequest, context: Context): Promise<HttpReply>;
}

/** Routes by API Gateway route key (`POST /events/shipped`). */
export type RouteTable = Readonly<Record<string, Route>>;

/** What a direct invoke (the Lambda event is the merchant event itself) does; throws when it fails. */
export type DirectInvoke = (event: unknown, context: Context) => Promise<IntakeReply>;

/** An HTTP API event once the router found its route: what the rest of the stack and the handler see. */
export class RoutedRequest {
  constructor(
    readonly http: HttpRequest,
    readonly route: Route,
  ) {}
}
