import { collectDefaultMetrics, Registry } from 'prom-client';

/** The namespace of every metric of ours (`hello_es_<subsystem>_<name>_<unit>`). */
export const METRICS_NAMESPACE = 'hello_es';

/**
 * One registry per process, with prom-client's default Node process metrics
 * (`process_*`, `nodejs_*`: CPU, memory, event-loop lag, GC). A registry of
 * our own, not prom-client's global one, so tests can build several in one
 * process and a library never registers into an app's registry by accident.
 */
export function createMetricsRegistry(options: { readonly defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}
