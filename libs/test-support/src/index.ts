export * from './deferred';
export * from './wait-for';
export * from './temp-dir';
export * from './free-port';
export * from './spawned-app';
export * from './proto-loader-client';
export * from './test-certificates';
export * from './random';
