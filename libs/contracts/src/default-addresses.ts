/** Where each server listens unless its *_LISTEN variable says otherwise. */
export const DEFAULT_EVENTLOG_ADDRESS = '127.0.0.1:50051';
export const DEFAULT_ADDER_ADDRESS = '127.0.0.1:50052';
export const DEFAULT_MULTIPLIER_ADDRESS = '127.0.0.1:50053';
