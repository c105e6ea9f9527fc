import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** An API Gateway v2 (HTTP API) request, reduced to what the routes read. */
export interface HttpRequest {
  /** `POST /events/shipped`: the route as API Gateway matched it */
  routeKey: string;
  method: string;
  path: string;
  /** lowercased names */
  headers: Readonly<Record<string, string>>;
  /** the body exactly as sent: signatures cover these bytes */
  body: Buffer;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a Lambda event came through an HTTP API (payload format 2.0); anything else is a direct invoke. */
export function isHttpApiEvent(event: unknown): event is APIGatewayProxyEventV2 {
  if (!isRecord(event) || event.version !== '2.0' || typeof event.routeKey !== 'string') return false;
  const context = event.requestContext;
  return isRecord(context) && isRecord(context.http) && typeof context.http.method === 'string';
}

export function toHttpRequest(event: APIGatewayProxyEventV2): HttpRequest {
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath ?? event.requestContext.http.path;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const raw = event.body ?? '';
  return {
    // A catch-all ($default) route says nothing about which route this is; method and path do.
    routeKey: event.routeKey === '$default' ? `${method} ${path}` : event.routeKey,
    method,
    path,
    headers,
    body: event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8'),
  };
}

export interface MediaType {
  /** lowercased, without parameters: `application/json` */
  type: string;
  /** lowercased, when given */
  charset?: string;
}

/** The media type of a Content-Type header value; undefined when there is none. */
export function parseContentType(value: string | undefined): MediaType | undefined {
  if (value === undefined) return undefined;
  const [type = '', ...parameters] = value.split(';').map((part) => part.trim());
  if (type === '') return undefined;
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^";\s]+)"?$/i.exec(parameter)?.[1])
    .find((found) => found !== undefined);
  return { type: type.toLowerCase(), ...(charset ? { charset: charset.toLowerCase() } : {}) };
}
