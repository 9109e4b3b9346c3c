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

  it('keeps the comments of proto/ (source info), which grpcurl describe shows', () => {
    const eventlog = fromBinary(FileDescriptorProtoSchema, fileDescriptorProtos().get('eventlog/v1/eventlog.proto') ?? new Uint8Array());
    const comments = eventlog.sourceCodeInfo?.location.map((location) => location.leadingComments) ?? [];
    expect(comments).toContain(' SubscribeRequest says where a subscription starts and who it is.\n');
    expect(comments.some((comment) => comment.includes('true: start at the head'))).toBe(true);
  });
});
