/**
 * @deprecated Import these from `@hello-es/process`. Kept only for
 * apps/eventlog/src/store/** and tools/reliability, which another branch of
 * issue 9 is moving; remove once they import `@hello-es/process`.
 */
export { createLogger, type Logger } from '@hello-es/process';
