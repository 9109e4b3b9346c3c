export * from './server-interceptor';
export * from './intercept-call';
export * from './access-log';
export * from './edge-binding';
export * from './auth';
