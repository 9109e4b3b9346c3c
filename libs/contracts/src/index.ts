export * from './generated/eventlog/v1/eventlog.pb';
export {
  GetStateRequest,
  GetStateResponse,
  ReducerServiceClient,
  ReducerServiceService,
  type ReducerServiceServer,
  State,
  WatchStateRequest,
  WatchStateResponse,
} from './generated/reducer/v1/reducer.pb';
export { Timestamp } from './generated/google/protobuf/timestamp.pb';
export * from './channel-options';
export * from './clients';
export * from './unary-call';
export * from './descriptor-set';
export * from './default-addresses';
export * from './known-reducers';
export * from './client-credentials';
export * from './coalesced-writes';
export * from './appender';
export { APPEND_BATCHES_HEADER } from './append-stream-wire';
export * from './wire-varint';
