import {
  DEFAULT_EVENTLOG_ADDRESS,
  KNOWN_REDUCERS,
  reducerUrlVariable,
  type ClientSecurityOptions,
  type KnownReducer,
} from '@hello-es/contracts';
import { isLoopbackHost, loadCaBundle, loadIdentity, readEventLogClientTls, readEventLogToken } from '@hello-es/grpc-server';
import { ConfigError, readInteger, readListenAddress, readServerAddress, type Env, type Setting } from '@hello-es/process';

export const DEFAULT_DASHBOARD_LISTEN = '127.0.0.1:8080';
export const DEFAULT_MAX_PAGES = 100;

export interface ReducerTarget {
  readonly name: string;
  readonly address: string;
}

/** Everything the dashboard reads from its environment, validated once at start. */
export interface DashboardConfig {
  /** Where the HTTP server listens ("host:port"; port 0 picks a free port). */
  readonly listenAddress: string;
  readonly eventLogAddress: string;
  /** One per reducer in known-reducers.json, at <NAME>_URL or its default. */
  readonly reducers: readonly ReducerTarget[];
  /** TLS files and bearer token for every gRPC call (EVENTLOG_TLS_*, EVENTLOG_TOKEN[_FILE]). */
  readonly security: ClientSecurityOptions;
  /** Open pages (SSE streams) at once; one more is answered 503. */
  readonly maxPages: number;
}

/**
 * Reads the dashboard's settings; throws a ConfigError naming the variable.
 * Off loopback it refuses to start without INSECURE=1: its HTTP side has no
 * TLS and no login, so the append form would be open to the network
 * (protected mode, docs/security.md).
 */
export function readDashboardConfig(env: Env, reducers: readonly KnownReducer[] = KNOWN_REDUCERS): DashboardConfig {
  const listenAddress = readListenAddress(env, 'DASHBOARD_LISTEN', DEFAULT_DASHBOARD_LISTEN);
  if (!isLoopbackHost(listenAddress) && env['INSECURE']?.trim() !== '1') {
    throw new ConfigError(
      'DASHBOARD_LISTEN',
      `is ${listenAddress}, not a loopback address: the dashboard serves plain HTTP with an append form; set INSECURE=1 to serve it anyway`,
    );
  }
  return {
    listenAddress,
    eventLogAddress: readServerAddress(env, 'EVENTLOG_URL', DEFAULT_EVENTLOG_ADDRESS),
    reducers: reducers.map((reducer) => ({
      name: reducer.name,
      address: readServerAddress(env, reducerUrlVariable(reducer.name), reducer.listen),
    })),
    security: readSecurity(env),
    maxPages: readInteger(env, 'DASHBOARD_MAX_PAGES', DEFAULT_MAX_PAGES, { min: 1, max: 10_000 }),
  };
}

function readSecurity(env: Env): ClientSecurityOptions {
  const tls = readEventLogClientTls(env);
  if (tls?.caFile) loadCaBundle('EVENTLOG_TLS_CA_FILE', tls.caFile);
  if (tls?.certFile && tls.keyFile) loadIdentity('EVENTLOG_TLS_CLIENT_CERT_FILE', tls.certFile, 'EVENTLOG_TLS_CLIENT_KEY_FILE', tls.keyFile);
  const token = readEventLogToken(env);
  return { ...(tls ? { tls } : {}), ...(token ? { token } : {}) };
}

/** The settings table, for --help and the README. */
export const dashboardSettings: readonly Setting[] = [
  { variable: 'DASHBOARD_LISTEN', default: DEFAULT_DASHBOARD_LISTEN, meaning: 'host:port of the page (loopback only unless INSECURE=1)' },
  { variable: 'EVENTLOG_URL', default: DEFAULT_EVENTLOG_ADDRESS, meaning: 'the event log' },
  ...KNOWN_REDUCERS.map((reducer) => ({
    variable: reducerUrlVariable(reducer.name),
    default: reducer.listen,
    meaning: `the ${reducer.name} reducer`,
  })),
  { variable: 'DASHBOARD_MAX_PAGES', default: String(DEFAULT_MAX_PAGES), meaning: 'open pages at once; one more gets 503' },
  { variable: 'EVENTLOG_TLS_CA_FILE', default: 'unset', meaning: 'CA to trust for the gRPC calls (turns TLS on), as for the reducers' },
  { variable: 'EVENTLOG_TLS_CLIENT_CERT_FILE', default: 'unset', meaning: 'client certificate for mTLS (with EVENTLOG_TLS_CLIENT_KEY_FILE)' },
  { variable: 'EVENTLOG_TOKEN[_FILE]', default: 'unset', meaning: 'bearer token for every gRPC call (append for the form, read for the rest)' },
  { variable: 'INSECURE', default: 'unset', meaning: '1: allow a DASHBOARD_LISTEN that is not loopback' },
];
