import { ReflectionService } from '@grpc/reflection';
import type { PackageDefinition } from '@grpc/proto-loader';
import type { Server } from '@grpc/grpc-js';
import { fileDescriptorProtos } from '@hello-es/contracts';

/**
 * Registers server reflection (v1 and v1alpha) serving the real descriptors
 * built from proto/: the original file names, their imports and snake_case
 * field names, which strict clients such as grpcurl need. A package
 * definition from @grpc/proto-loader would serve synthetic files instead.
 *
 * `services` limits what `list` shows to the services this server has.
 */
export function addReflection(server: Server, services: readonly string[]): void {
  const files = [...fileDescriptorProtos().values()].map((bytes) => Buffer.from(bytes));
  // @grpc/reflection reads only `fileDescriptorProtos` from each entry.
  const definition = { descriptors: { fileDescriptorProtos: files } } as unknown as PackageDefinition;
  new ReflectionService(definition, { services: [...services] }).addToServer(server);
}
