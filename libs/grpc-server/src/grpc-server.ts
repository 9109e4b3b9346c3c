import {
  Server,
  ServerCredentials,
  type ChannelOptions,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { KEEPALIVE_TIMEOUT_MS, MAX_MESSAGE_BYTES } from '@hello-es/contracts';
import { trackOpenResource, type Logger } from '@hello-es/process';
import { bindCallEdge } from './interceptors/edge-binding';
import type { ServerInterceptor } from './interceptors/server-interceptor';
import { OpenStreams } from './open-streams';
import { addHealthService } from './health-service';
import { tolerateMalformedRequests } from './malformed-request';
import { addReflection } from './reflection';
import { logRefusedHandshakes } from './security/handshake-refusals';

export interface ServiceRegistration {
  /** Fully qualified, e.g. "eventlog.v1.EventLogService". */
  readonly name: string;
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

export interface StartGrpcServerOptions {
  /** "host:port"; port 0 picks a free port. */
  readonly address: string;
  readonly services: readonly ServiceRegistration[];
  readonly logger: Logger;
  /** The registry the app's infinite streams use; shutdown ends them. */
  readonly openStreams?: OpenStreams;
  /** How long shutdown lets in-flight calls finish before cutting them. */
  readonly shutdownGraceMs?: number;
  /** Health reported until the app says otherwise (default SERVING). */
  readonly initiallyServing?: boolean;
  /** Server options merged last; may carry grpc-js `interceptors` (see readServerSecurity). */
  readonly channelOptions?: ChannelOptions;
  /** How the port is bound: TLS is a configuration change (default insecure). */
  readonly credentials?: ServerCredentials;
  /**
   * The chain every call of `services` passes, first = outermost. Calls reach
   * it through the adapters (`unaryHandler`, `serverStreamingHandler`,
   * `interceptCall` for bidi). grpc.health.v1 and reflection do NOT pass it:
   * they are registered by grpc-health-check and @grpc/reflection with their
   * own handlers, so health stays answerable without credentials. A raw
   * grpc-js function in `implementation` (tests only) bypasses it too.
   */
  readonly interceptors?: readonly ServerInterceptor[];
  /**
   * Log the "listening" line once bound (default true). The event log binds
   * before it recovers its log and logs "listening" itself when it is ready:
   * tests and launchers take that line to mean the app started.
   */
  readonly logListening?: boolean;
}

export interface RunningGrpcServer {
  readonly server: Server;
  /** The bound port (the real one when asked for port 0). */
  readonly port: number;
  /** "host:port" with the bound port, for clients. */
  readonly address: string;
  readonly openStreams: OpenStreams;
  /** Sets grpc.health.v1 for the whole server and each of its services. */
  setServing(serving: boolean): void;
  /**
   * Two-phase shutdown: report NOT_SERVING, end open infinite streams with
   * UNAVAILABLE, let unary calls finish (tryShutdown) for at most the grace
   * period, then cut what is left (forceShutdown). Idempotent.
   */
  shutdown(): Promise<void>;
}

/** Server-side keepalive: ping idle clients so half-open connections are found and closed. */
export const SERVER_KEEPALIVE_TIME_MS = 20_000;

export const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

/**
 * Starts a grpc-js server with the given services plus grpc.health.v1 and
 * server reflection (v1 and v1alpha). Rejects if the address cannot be bound.
 */
export async function startGrpcServer(options: StartGrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc.keepalive_time_ms': SERVER_KEEPALIVE_TIME_MS,
    'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
    'grpc.keepalive_permit_without_calls': 1,
    ...options.channelOptions,
  });
  const openStreams = options.openStreams ?? new OpenStreams();
  const initialStatus = options.initiallyServing === false ? 'NOT_SERVING' : 'SERVING';
  const health = new HealthImplementation({
    '': initialStatus,
    ...Object.fromEntries(options.services.map((service) => [service.name, initialStatus])),
  });
  addHealthService(server, health);
  addReflection(server, [...options.services.map((service) => service.name), 'grpc.health.v1.Health']);
  // Undecodable requests reach the handlers, which answer INVALID_ARGUMENT.
  for (const service of options.services) {
    for (const [key, method] of Object.entries(service.definition)) {
      bindCallEdge(service.implementation[key], { path: method.path, interceptors: options.interceptors ?? [] });
    }
    server.addService(tolerateMalformedRequests(service.definition), service.implementation);
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(options.address, options.credentials ?? ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) reject(new Error(`cannot listen on ${options.address}: ${error.message}`, { cause: error }));
      else resolve(boundPort);
    });
  });
  if (options.credentials?._isSecure()) logRefusedHandshakes(server, options.logger);
  const host = options.address.slice(0, options.address.lastIndexOf(':'));
  const address = `${host}:${port}`;
  if (options.logListening !== false) {
    options.logger.info({ address, services: options.services.map((service) => service.name) }, 'listening');
  }

  const setServing = (serving: boolean): void => {
    const status = serving ? 'SERVING' : 'NOT_SERVING';
    health.setStatus('', status);
    for (const service of options.services) health.setStatus(service.name, status);
  };

  const untrack = trackOpenResource(`gRPC server ${address} (${options.services.map((service) => service.name).join(', ')})`);
  let shutdownPromise: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    shutdownPromise ??= shutDownServer(server, openStreams, setServing, options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS).finally(untrack);
    return shutdownPromise;
  };

  return { server, port, address, openStreams, setServing, shutdown };
}

async function shutDownServer(
  server: Server,
  openStreams: OpenStreams,
  setServing: (serving: boolean) => void,
  graceMs: number,
): Promise<void> {
  setServing(false);
  openStreams.endAll();
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
