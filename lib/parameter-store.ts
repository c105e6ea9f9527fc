import { SSMClient } from '@aws-sdk/client-ssm';
import { awsClientSettings, type ClientRole } from './aws-clients';
import { loadConfig, type Config } from './config';

/**
 * The part of the wiring every function needs: the configuration and the SSM client. rotateToken needs
 * nothing more, so it imports this and not lib/service (which brings DynamoDB, the Order Center client
 * and the sync code into a bundle).
 */
export interface ParameterStore {
  config: Config;
  ssm: SSMClient;
}

let current: ParameterStore | undefined;

/**
 * The one place an SSM client is made: every function's, and lib/service's when none is given, with the
 * timeouts of whoever waits on it (lib/aws-clients).
 */
export function createSsmClient(role: ClientRole = 'webhook'): SSMClient {
  return new SSMClient(awsClientSettings(role));
}

/** The container's configuration (read and checked on first use) and SSM client, then kept. */
export function getParameterStore(role: ClientRole = 'webhook'): ParameterStore {
  current ??= { config: loadConfig(), ssm: createSsmClient(role) };
  return current;
}

/** Forgets them, so the next getParameterStore() reads the environment again (tests, local runs). */
export function resetParameterStore(): void {
  current = undefined;
}
