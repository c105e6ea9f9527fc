import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../lib/logger';
import { getParameterStore } from '../lib/parameter-store';
import { rotateAccessToken } from '../lib/token';

/**
 * Daily (and on demand): a new access token from Baidu's OAuth endpoint into SSM. Logs when it expires,
 * never the token. An OAuth refusal fails the invocation with Baidu's own message.
 */
async function rotateToken() {
  const { ssm, config } = getParameterStore();
  const result = await rotateAccessToken({
    ssm,
    fetch: (...args) => fetch(...args),
    oauthBaseUrl: config.orderCenterBaseUrl,
    appKey: config.appKey,
    appSecretParam: config.appSecretParam,
    accessTokenParam: config.accessTokenParam,
  });
  logger.info('access token rotated', { parameter: result.parameter, expiresAt: result.expiresAt });
  return result;
}

export const handler = middy(rotateToken).use(injectLambdaContext(logger));
