export * from './metrics-registry';
export * from './metrics-listen';
export * from './metrics-http-server';
export * from './rpc-metrics';
export * from './scrape-time-family';
