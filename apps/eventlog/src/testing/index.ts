// What other projects' tests and tools may use of the event log
// (`@hello-es/eventlog/testing`); everything else is internal.
export * from './event-log-contract';
export * from './faulty-file-layer';
export * from './log-store-contract';
export * from './process-memory';
export * from './raw-subscription';
export * from './subscription-reader';
export { readEventLogConfig, type EventLogConfig } from '../config';
export { startEventLogServer, type RunningEventLogServer } from '../event-log-server';
export { nodeFileLayer, type FileLayer, type StoreFile } from '../store/file/file-layer';
export { FileLogStore } from '../store/file/file-log-store';
export { encodeGroup, recordPosition } from '../store/file/record-format';
export {
  MAX_IDEMPOTENCY_KEY_BYTES,
  MAX_SUBSCRIBER_NAME_BYTES,
  validateAppendRequest,
  validateReadRequest,
  validateSubscribeRequest,
} from '../service/validation';
export * from './nats-server';
