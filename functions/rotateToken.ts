import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../lib/logger';
import { metrics, MetricUnit, publishMetrics, timedFetch } from '../lib/metrics';
import { getParameterStore } from '../lib/parameter-store';
import { rotateAccessToken } from '../lib/token';

/**
 * Daily (and on demand): a new access token from Baidu's OAuth endpoint into SSM. Logs when it expires,
 * never the token. An OAuth refusal fails the invocation with Baidu's own message. A success publishes
 * TokenRotations (serverless.yml's token-rotation alarm).
 */
async function rotateToken() {
  const { ssm, config } = getParameterStore();
  const result = await rotateAccessToken({
    ssm,
    fetch: timedFetch(),
    oauthBaseUrl: config.orderCenterBaseUrl,
    appKey: config.appKey,
    appSecretParam: config.appSecretParam,
    accessTokenParam: config.accessTokenParam,
  });
  logger.info('access token rotated', { parameter: result.parameter, expiresAt: result.expiresAt });
  // the token-rotation alarm goes off after 36 h without one
  metrics.addMetric('TokenRotations', MetricUnit.Count, 1);
  return result;
}

export const handler = middy(rotateToken).use(injectLambdaContext(logger)).use(publishMetrics());
