import { resetService } from '../../lib/service';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack';

/**
 * Starts a local stack and points this process's environment (and so getService()) at it.
 * Call the returned stop() in afterAll: it stops the stack and restores the environment.
 */
export async function startStackForHandlers(
  options: LocalStackOptions = {},
): Promise<LocalStack & { stopAndRestore(): Promise<void> }> {
  const stack = await startLocalStack(options);
  const saved = Object.fromEntries(Object.keys(stack.env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, stack.env);
  resetService();
  return {
    ...stack,
    async stopAndRestore() {
      resetService();
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) Reflect.deleteProperty(process.env, key);
        else process.env[key] = value;
      }
      await stack.stop();
    },
  };
}
