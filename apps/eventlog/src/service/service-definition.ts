import type { ServiceDefinition } from '@grpc/grpc-js';
import { EventLogServiceService } from '@hello-es/contracts';

/**
 * EventLogService as registered on the server: the generated definition,
 * except that Subscribe and Read responses arrive already encoded (see
 * event-encoding.ts) and pass through as they are.
 */
export const eventLogServiceDefinition = {
  ...EventLogServiceService,
  subscribe: { ...EventLogServiceService.subscribe, responseSerialize: (value: Buffer): Buffer => value },
  read: { ...EventLogServiceService.read, responseSerialize: (value: Buffer): Buffer => value },
} satisfies ServiceDefinition;
