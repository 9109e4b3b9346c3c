import type { CallEdge } from './intercept-call';

const bindEdge = Symbol('hello-es.bindEdge');

interface EdgeBindable {
  [bindEdge]?: (edge: CallEdge) => void;
}

/**
 * The edge a handler made by an adapter runs with. Until `startGrpcServer`
 * binds it (path from the service definition, the server's interceptors) a
 * handler runs with no interceptors.
 */
export function edgeSlotFor<Handler extends object>(method: string, handler: Handler): { handler: Handler; edge(): CallEdge } {
  let edge: CallEdge = { path: `/unbound/${method}`, interceptors: [] };
  (handler as EdgeBindable)[bindEdge] = (bound) => (edge = bound);
  return { handler, edge: () => edge };
}

/** Binds an adapter-made handler to its place on a server; false for a raw grpc-js handler. */
export function bindCallEdge(handler: unknown, edge: CallEdge): boolean {
  const bind = typeof handler === 'function' ? (handler as EdgeBindable)[bindEdge] : undefined;
  if (!bind) return false;
  bind(edge);
  return true;
}
