import type { Role } from './tokens-file';

/**
 * The role each RPC needs (issue 11). `admin` may call everything. Health
 * checks need no token (load balancers and orchestrators probe them). Server
 * reflection needs no token either: it reveals only the public .proto
 * schema, never data, and grpcurl needs it to build any call at all.
 * An RPC not listed (a future method) needs `admin` until it is classified:
 * closed by default.
 */
const ROLE_BY_METHOD: Readonly<Record<string, Role>> = {
  '/eventlog.v1.EventLogService/Append': 'append',
  '/eventlog.v1.EventLogService/AppendStream': 'append',
  '/eventlog.v1.EventLogService/Subscribe': 'read',
  '/eventlog.v1.EventLogService/Read': 'read',
  '/eventlog.v1.EventLogService/GetLogInfo': 'read',
  '/eventlog.v1.EventLogService/ListSubscriptions': 'read',
  '/reducer.v1.ReducerService/GetState': 'read',
  '/reducer.v1.ReducerService/WatchState': 'read',
};

const OPEN_SERVICES = ['grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'];

/** The role `path` ("/pkg.Service/Method") needs, or undefined when it needs no token. */
export function requiredRole(path: string): Role | undefined {
  const service = path.slice(1, path.lastIndexOf('/'));
  if (OPEN_SERVICES.includes(service)) return undefined;
  return ROLE_BY_METHOD[path] ?? 'admin';
}
