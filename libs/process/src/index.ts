export * from './config';
export * from './logger';
export * from './settings';
export * from './signals';
export * from './parent-watch';
export * from './run-app';
export * from './dir-lock';
export * from './launcher-terminal';
