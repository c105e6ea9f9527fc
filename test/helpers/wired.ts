import { lifecycleHandler, type LifecycleHandler, type LifecycleTriggers } from '../../lib/http';
import type { EventService, ServiceSource } from '../../lib/service';

/**
 * A function's triggers wired to a service of the test's own, as its function file wires the container's.
 * (Apart from test/helpers/stack, which bench/ loads too: middy is ESM-only, and only jest transforms it.)
 */
export function wired(
  triggers: (service: ServiceSource<EventService>) => LifecycleTriggers,
  service: EventService,
): LifecycleHandler {
  return lifecycleHandler(triggers(() => service));
}
