/**
 * A registry of what a process has open (servers, child processes), so a test
 * run can fail when a test leaves something running. It is active only where
 * the registry was installed on `globalThis` (the leak-checking jest
 * environment in libs/test-support does that); elsewhere tracking is a no-op
 * and costs one property read.
 */
export const OPEN_RESOURCES_KEY = '__helloEsOpenResources';

export interface OpenResource {
  /** What is open, for the failure message: "gRPC server 127.0.0.1:40123". */
  readonly description: string;
}

/** Records `description` as open; call the returned function once it is closed. */
export function trackOpenResource(description: string): () => void {
  const registry = (globalThis as Record<string, unknown>)[OPEN_RESOURCES_KEY];
  if (!(registry instanceof Set)) return () => undefined;
  const resource: OpenResource = { description };
  registry.add(resource);
  return () => registry.delete(resource);
}
