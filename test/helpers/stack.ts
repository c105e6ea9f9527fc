import { loadConfig, type Config } from '../../lib/config';
import { resetParameterStore } from '../../lib/parameter-store';
import {
  createReconcileService,
  withCashierKey,
  withWebhookSecret,
  type EventService,
  type ReconcileService,
  type ServiceOverrides,
} from '../../lib/service';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack';
import { createLocalSsmClient } from '../../local/ssm';

/** What any function of the stack is wired with: the push, the request secrets, the cashier's query. */
export type StackService = EventService & ReconcileService;

export interface StackForHandlers extends LocalStack {
  /** a service built for this stack, for every function's triggers (the ledger, the secrets, the cashier) */
  service: StackService;
  /** a service built for this stack with some settings (or clients) changed: a missing table, a policy */
  serviceWith(changes: Partial<Config>, clients?: ServiceOverrides): StackService;
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
  const serviceWith = (changes: Partial<Config>, clients: ServiceOverrides = {}): StackService =>
    withCashierKey(
      withWebhookSecret(
        createReconcileService({ ...config, ...changes }, { dynamo: stack.dynamo.client, ssm, ...clients }),
      ),
    );
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
