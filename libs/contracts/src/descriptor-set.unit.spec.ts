import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { fileDescriptorProtos } from './descriptor-set';

describe('embedded descriptor set', () => {
  it('holds both contracts and grpc.health.v1 under their real file names with their imports', () => {
    const files = fileDescriptorProtos();
    expect([...files.keys()].sort()).toEqual([
      'eventlog/v1/eventlog.proto',
      'google/protobuf/timestamp.proto',
      'grpc/health/v1/health.proto',
      'reducer/v1/reducer.proto',
    ]);
    const eventlog = fromBinary(FileDescriptorProtoSchema, files.get('eventlog/v1/eventlog.proto') ?? new Uint8Array());
    expect(eventlog.package).toBe('eventlog.v1');
    expect(eventlog.dependency).toEqual(['google/protobuf/timestamp.proto']);
    const event = eventlog.messageType.find((message) => message.name === 'Event');
    expect(event?.field.map((field) => field.name)).toEqual(['offset', 'value', 'append_time']);
  });
});
