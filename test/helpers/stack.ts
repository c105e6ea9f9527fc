import { loadConfig, type Config } from '../../lib/config';
import { resetParameterStore } from '../../lib/parameter-store';
import { createEventService, type EventService, type ServiceOverrides } from '../../lib/service';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack';
import { createLocalSsmClient } from '../../local/ssm';

export interface StackForHandlers extends LocalStack {
  /** an event function's service, built for this stack (the ledger and the secrets the handlers use) */
  service: EventService;
  /** a service built for this stack with some settings (or clients) changed: a missing table, a policy */
  serviceWith(changes: Partial<Config>, clients?: ServiceOverrides): EventService;
  stopAndRestore(): Promise<void>;
}

/**
 * Starts a local stack. Tests build what they call from `service` / `serviceWith` (test/helpers/wired). The
 * function files' own handlers (what a deploy runs) read their configuration from the environment on
 * first use, so this also points the environment at the stack while it runs; stopAndRestore() stops the
 * stack and restores the environment.
 */
export async function startStackForHandlers(options: LocalStackOptions = {}): Promise<StackForHandlers> {
  const stack = await startLocalStack(options);
  const saved = Object.fromEntries(Object.keys(stack.env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, stack.env);
  resetParameterStore();
  const config = loadConfig(stack.env);
  const ssm = createLocalSsmClient(stack.ssm.url);
  const serviceWith = (changes: Partial<Config>, clients: ServiceOverrides = {}): EventService =>
    createEventService({ ...config, ...changes }, { dynamo: stack.dynamo.client, ssm, ...clients });
  const service = serviceWith({});
  return {
    ...stack,
    service,
    serviceWith,
    async stopAndRestore() {
      resetParameterStore();
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) Reflect.deleteProperty(process.env, key);
        else process.env[key] = value;
      }
      await stack.stop();
    },
  };
}
