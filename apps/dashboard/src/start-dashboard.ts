import type { AddressInfo } from 'node:net';
import { clientCredentialsOf, createEventLogClient, createReducerClient } from '@hello-es/contracts';
import { ConfigError, type Logger, type RunningApp } from '@hello-es/process';
import { createSubscriptionClient } from '@hello-es/reducer-runtime';
import { snapshotOf, startFlusher } from './cells/flusher';
import { LatestCell } from './cells/latest-cell';
import type { DashboardConfig } from './config';
import { createDashboardServer } from './http/dashboard-server';
import { OriginGuard } from './http/origin-guard';
import { PageTokens } from './http/page-token';
import { loadStaticAssets } from './http/static-assets';
import { healthProbe, type Probe } from './sources/liveness-probe';
import { startLogSource } from './sources/log-source';
import { startReducerSource, type ReducerSource } from './sources/reducer-source';
import { PageRegistry } from './sse/page-registry';
import type { ServerView } from './view-model';

export interface StartedDashboard extends RunningApp {
  /** "host:port" it listens on (the real port when DASHBOARD_LISTEN asked for 0). */
  readonly address: string;
  readonly pages: PageRegistry;
}

export interface StartOptions {
  /** The built page (dist/apps/dashboard/public). */
  readonly publicDir: string;
  readonly flushIntervalMs?: number;
}

/** Starts the sources, the flusher and the HTTP server; logs "listening" with the address. */
export async function startDashboard(config: DashboardConfig, logger: Logger, options: StartOptions): Promise<StartedDashboard> {
  const assets = loadStaticAssets(options.publicDir);
  const log = createEventLogClient(config.eventLogAddress, config.security);
  const subscriptionClient = createSubscriptionClient(config.eventLogAddress, config.security);
  const logSource = startLogSource(config.eventLogAddress, log, subscriptionClient);
  const probes = config.reducers.map((reducer) => healthProbe(reducer.address, clientCredentialsOf(config.security)));
  const reducers = new Map<string, ReducerSource>(
    config.reducers.map((reducer, index) => [
      reducer.name,
      startReducerSource(reducer.name, reducer.address, createReducerClient(reducer.address, config.security), (probes[index] as { probe: Probe }).probe),
    ]),
  );
  const serverCell = new LatestCell<ServerView>('server', { time: Date.now() });
  const clockTimer = setInterval(() => serverCell.set({ time: Date.now() }), 1_000);
  clockTimer.unref();
  const cells = [
    serverCell,
    logSource.cells.log,
    logSource.cells.rate,
    logSource.cells.recent,
    logSource.cells.subscriptions,
    ...[...reducers.values()].map((reducer) => reducer.cell),
  ];
  const pages = new PageRegistry(config.maxPages);
  const stopFlusher = startFlusher(cells, (update) => pages.broadcast(update), options.flushIntervalMs);

  const [host, portText] = splitHostPort(config.listenAddress);
  const guard = new OriginGuard(host);
  const server = createDashboardServer({
    assets,
    pages,
    snapshot: () => ({ ...snapshotOf(cells), reducers: config.reducers.map((reducer) => reducer.name) }),
    log,
    reducers,
    guard,
    tokens: new PageTokens(),
    logger,
  });
  const stopSources = async (): Promise<void> => {
    clearInterval(clockTimer);
    stopFlusher();
    await Promise.all([logSource.stop(), ...[...reducers.values()].map((reducer) => reducer.stop())]);
    log.close();
    subscriptionClient.close();
    for (const probe of probes) probe.close();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(portText), host.replace(/^\[|\]$/g, ''), () => resolve());
    });
  } catch (error: unknown) {
    await stopSources();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError('DASHBOARD_LISTEN', `is ${config.listenAddress}, which another process already listens on`);
    if (code === 'EADDRNOTAVAIL') throw new ConfigError('DASHBOARD_LISTEN', `is ${config.listenAddress}, which is not an address of this machine`);
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  guard.listeningOn(port);
  const address = `${host}:${port}`;
  logger.info({ address, url: `http://${address}/` }, 'listening');

  return {
    address,
    pages,
    stop: async () => {
      pages.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopSources();
    },
  };
}

function splitHostPort(address: string): [string, string] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), address.slice(colon + 1)];
}
