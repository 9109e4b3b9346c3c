import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { descriptorSetBase64 } from './generated/descriptor-set.pb';

/** The FileDescriptorSet built from proto/ (with its imports), as bytes. */
export function descriptorSetBytes(): Uint8Array {
  return Buffer.from(descriptorSetBase64, 'base64');
}

/**
 * Each file of the descriptor set encoded on its own, keyed by file name
 * ("eventlog/v1/eventlog.proto", "google/protobuf/timestamp.proto", …): the
 * form server reflection hands out.
 */
export function fileDescriptorProtos(): Map<string, Uint8Array> {
  const set = fromBinary(FileDescriptorSetSchema, descriptorSetBytes());
  return new Map(set.file.map((file) => [file.name, toBinary(FileDescriptorProtoSchema, file)]));
}
