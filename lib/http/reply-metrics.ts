import { recordReply } from '../metrics';
import { isHttpApiEvent } from './events';
import { isInvokeRefusal, type StackMiddleware, type StackResult } from './middleware';
import { RoutedRequest } from './route';

/**
 * The reply's status, for the dashboard's "intake replies by status": the HTTP status (202, 401, 422...);
 * a direct invoke's `invoke` (recorded), `invoke-<status>` (refused for its input) or `invoke-failed`.
 */
export function replyStatus(event: unknown, response: StackResult | null | undefined): string {
  const http = event instanceof RoutedRequest || isHttpApiEvent(event);
  if (typeof response === 'object' && response !== null && 'statusCode' in response) {
    return String(response.statusCode);
  }
  if (http) return '500';
  if (isInvokeRefusal(response)) return `invoke-${response.refused.status}`;
  return response ? 'invoke' : 'invoke-failed';
}

/** Counts every reply by status (IntakeReplies), after the error mapper has written refusals. */
export function replyMetrics(record: (status: string) => void = recordReply): StackMiddleware {
  const count: StackMiddleware['after'] = (request) => record(replyStatus(request.event, request.response));
  return { after: count, onError: count };
}
