import type { ServiceDefinition } from '@grpc/grpc-js';
import { EventLogServiceService } from '@hello-es/contracts';
import { decodeAppendRequest } from './append-request-decoder';
import { decodeAppendStreamRequest } from './append-stream-codec';

/**
 * EventLogService as registered on the server: the generated definition,
 * except that Append requests decode into value columns (see
 * append-request-decoder.ts), AppendStream requests likewise and its
 * responses arrive encoded (append-stream-codec.ts), and Subscribe and Read responses arrive
 * already encoded (see event-encoding.ts) and pass through as they are.
 */
export const eventLogServiceDefinition = {
  ...EventLogServiceService,
  append: { ...EventLogServiceService.append, requestDeserialize: decodeAppendRequest },
  appendStream: {
    ...EventLogServiceService.appendStream,
    requestDeserialize: decodeAppendStreamRequest,
    responseSerialize: (value: Buffer): Buffer => value,
  },
  subscribe: { ...EventLogServiceService.subscribe, responseSerialize: (value: Buffer): Buffer => value },
  read: { ...EventLogServiceService.read, responseSerialize: (value: Buffer): Buffer => value },
} satisfies ServiceDefinition;
