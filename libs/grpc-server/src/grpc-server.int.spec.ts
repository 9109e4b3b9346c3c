/**
 * The common ground of every server: health, reflection that strict clients
 * (grpcurl) can use, errors mapped to statuses without leaking internals, and
 * a shutdown that ends infinite streams instead of hanging on them.
 */
import { Client as RawClient, credentials, loadPackageDefinition, Metadata, status, type Client, type ClientDuplexStream, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { join } from 'node:path';
import { callUnary, createEventLogClient, EventLogServiceService, type EventLogServiceClient, type SubscribeResponse } from '@hello-es/contracts';
import { createLogger } from '@hello-es/process';
import { startGrpcServer, type RunningGrpcServer } from './grpc-server';
import { GrpcStatusError } from './status-error';
import { unaryHandler } from './unary-handler';
import { serverStreamingHandler } from './server-streaming-handler';
import { OpenStreams } from './open-streams';
import type { HandlerContext } from './unary-handler';

const logger = createLogger('test', 'silent');
const reflectionProtoDir = join(require.resolve('@grpc/reflection/package.json'), '..', 'build', 'proto');
const healthProto = join(require.resolve('grpc-health-check/package.json'), '..', 'proto', 'health', 'v1', 'health.proto');

type Reply = Record<string, unknown>;
interface ReflectionClient extends Client {
  ServerReflectionInfo(): ClientDuplexStream<Reply, Reply>;
}
interface HealthClient extends Client {
  Check(request: { service: string }, callback: (error: ServiceError | null, reply: Reply) => void): void;
}

function reflectionClient(version: 'v1' | 'v1alpha', address: string): ReflectionClient {
  const definition = loadSync(`grpc/reflection/${version}/reflection.proto`, { includeDirs: [reflectionProtoDir], keepCase: true });
  const loaded = loadPackageDefinition(definition) as unknown as {
    grpc: { reflection: Record<string, { ServerReflection: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => ReflectionClient }> };
  };
  const service = loaded.grpc.reflection[version];
  if (!service) throw new Error(`no reflection ${version}`);
  return new service.ServerReflection(address, credentials.createInsecure());
}

function reflect(client: ReflectionClient, request: Reply): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo();
    call.once('data', (reply: Reply) => {
      resolve(reply);
      call.end();
    });
    call.once('error', reject);
    call.write({ host: '', ...request });
  });
}

function healthOf(address: string, service: string): Promise<string> {
  const definition = loadSync(healthProto, { keepCase: true, enums: String });
  const loaded = loadPackageDefinition(definition) as unknown as {
    grpc: { health: { v1: { Health: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => HealthClient } } };
  };
  const client = new loaded.grpc.health.v1.Health(address, credentials.createInsecure());
  return new Promise((resolve, reject) =>
    client.Check({ service }, (error, reply) => {
      client.close();
      if (error) reject(error);
      else resolve(String(reply['status']));
    }),
  );
}

describe('startGrpcServer', () => {
  let server: RunningGrpcServer;
  let client: EventLogServiceClient;
  const openStreams = new OpenStreams();

  beforeAll(async () => {
    const context: HandlerContext & { openStreams: OpenStreams } = { logger, mapDomainError: () => undefined, openStreams };
    server = await startGrpcServer({
      address: '127.0.0.1:0',
      logger,
      openStreams,
      shutdownGraceMs: 2_000,
      services: [
        {
          name: 'eventlog.v1.EventLogService',
          definition: EventLogServiceService,
          implementation: {
            append: unaryHandler(context, 'Append', async (request: { values: bigint[] }) => {
              if (request.values.length === 0) throw new GrpcStatusError(status.INVALID_ARGUMENT, 'values must not be empty');
              throw new Error('secret internal detail');
            }),
            subscribe: serverStreamingHandler(context, 'Subscribe', async function* (_request: unknown, signal: AbortSignal) {
              yield { kind: { $case: 'started', value: { logId: 'x', nextOffset: 0n } } };
              await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
            }),
            read: serverStreamingHandler(context, 'Read', async function* () {
              yield { events: [] };
              throw new GrpcStatusError(status.OUT_OF_RANGE, 'from_offset 9 is beyond the head 0');
            }),
            getLogInfo: unaryHandler(context, 'GetLogInfo', async () => ({ logId: 'x', nextOffset: 0n, storage: 'memory' })),
            listSubscriptions: unaryHandler(context, 'ListSubscriptions', async () => ({ subscriptions: [] })),
          },
        },
      ],
    });
    client = createEventLogClient(server.address);
  });

  afterAll(async () => {
    client.close();
    await server.shutdown();
  });

  it('answers grpc.health.v1 Check for the server and each service, following setServing', async () => {
    expect(await healthOf(server.address, '')).toBe('SERVING');
    expect(await healthOf(server.address, 'eventlog.v1.EventLogService')).toBe('SERVING');
    server.setServing(false);
    expect(await healthOf(server.address, 'eventlog.v1.EventLogService')).toBe('NOT_SERVING');
    server.setServing(true);
  });

  it.each(['v1', 'v1alpha'] as const)('serves the real descriptors over reflection %s', async (version) => {
    const reflection = reflectionClient(version, server.address);
    try {
      const listed = await reflect(reflection, { list_services: '' });
      const names = (listed['list_services_response'] as { service: { name: string }[] }).service.map((s) => s.name);
      expect(names).toEqual(expect.arrayContaining(['eventlog.v1.EventLogService', 'grpc.health.v1.Health']));

      const found = await reflect(reflection, { file_containing_symbol: 'eventlog.v1.EventLogService' });
      const protos = (found['file_descriptor_response'] as { file_descriptor_proto: Buffer[] }).file_descriptor_proto.map((bytes) =>
        fromBinary(FileDescriptorProtoSchema, bytes),
      );
      const eventlog = protos.find((file) => file.name === 'eventlog/v1/eventlog.proto');
      expect(eventlog?.dependency).toEqual(['google/protobuf/timestamp.proto']);
      expect(protos.map((file) => file.name)).toContain('google/protobuf/timestamp.proto');
      const event = eventlog?.messageType.find((message) => message.name === 'Event');
      expect(event?.field.map((field) => field.name)).toEqual(['offset', 'value', 'append_time']);
      const append = eventlog?.messageType.find((message) => message.name === 'AppendRequest');
      expect(append?.field.map((field) => field.name)).toEqual(['values', 'expected_next_offset', 'idempotency_key']);
      // With source info, so `grpcurl describe` shows the proto's comments (issue 10).
      const comments = eventlog?.sourceCodeInfo?.location.map((location) => location.leadingComments) ?? [];
      expect(comments).toContain(' SubscribeRequest says where a subscription starts and who it is.\n');
    } finally {
      reflection.close();
    }
  });

  it('sends a GrpcStatusError with its code and message', async () => {
    await expect(callUnary(client.append.bind(client), { values: [], idempotencyKey: '' })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'values must not be empty',
    });
  });

  it('sends an unknown error as INTERNAL without its message', async () => {
    await expect(callUnary(client.append.bind(client), { values: [1n], idempotencyKey: '' })).rejects.toMatchObject({
      code: status.INTERNAL,
      details: 'internal error',
    });
  });

  it('answers bytes that do not decode as the request message with INVALID_ARGUMENT, not INTERNAL', async () => {
    const raw = new RawClient(server.address, credentials.createInsecure());
    const passThrough = (bytes: Buffer): Buffer => bytes;
    // Field 1 (packed values) claims 5 bytes and carries 1: a truncated message.
    const truncated = Buffer.from([0x0a, 0x05, 0x01]);
    try {
      const unaryError = await new Promise<ServiceError | null>((resolve) =>
        raw.makeUnaryRequest('/eventlog.v1.EventLogService/Append', passThrough, passThrough, truncated, new Metadata(), {}, (error) =>
          resolve(error),
        ),
      );
      expect(unaryError).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^malformed Append request: /) });

      const stream = raw.makeServerStreamRequest('/eventlog.v1.EventLogService/Read', passThrough, passThrough, truncated, new Metadata(), {});
      stream.on('data', () => undefined);
      const streamError = await new Promise<ServiceError>((resolve) => stream.on('error', resolve));
      expect(streamError).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^malformed Read request: /) });

      // grpc.health.v1 too (grpc-health-check alone answers INTERNAL); a good Check still answers.
      // Its decoder reads a short string field leniently; an unknown field 3 claiming 127 bytes it refuses.
      const pastTheEnd = Buffer.from([0x1a, 0x7f, 0x41]);
      const healthError = await new Promise<ServiceError | null>((resolve) =>
        raw.makeUnaryRequest('/grpc.health.v1.Health/Check', passThrough, passThrough, pastTheEnd, new Metadata(), {}, (error) => resolve(error)),
      );
      expect(healthError).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^malformed Check request: /) });
      const watch = raw.makeServerStreamRequest('/grpc.health.v1.Health/Watch', passThrough, passThrough, pastTheEnd, new Metadata(), {});
      watch.on('data', () => undefined);
      const watchError = await new Promise<ServiceError>((resolve) => watch.on('error', resolve));
      expect(watchError).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^malformed Watch request: /) });
      expect(await healthOf(server.address, '')).toBe('SERVING');
    } finally {
      raw.close();
    }
  });

  it('ends a stream with the status its generator throws, after what it yielded', async () => {
    const stream = client.read({ fromOffset: 9n, maxCount: 0n });
    const received: unknown[] = [];
    stream.on('data', (message: unknown) => received.push(message));
    const error = await new Promise<ServiceError>((resolve) => stream.on('error', resolve));
    expect(received).toEqual([{ events: [] }]);
    expect(error).toMatchObject({ code: status.OUT_OF_RANGE, details: 'from_offset 9 is beyond the head 0' });
  });

  it('ends open infinite streams with UNAVAILABLE on shutdown instead of hanging', async () => {
    const stream: ClientReadableStream<SubscribeResponse> = client.subscribe({ fromOffset: 0n, subscriberName: 't' });
    const first = new Promise<SubscribeResponse>((resolve) => stream.once('data', resolve));
    const ended = new Promise<ServiceError>((resolve) => stream.on('error', resolve));
    expect((await first).kind?.$case).toBe('started');
    expect(openStreams.size).toBe(1);
    const started = Date.now();
    await server.shutdown();
    const error = await ended;
    expect(error).toMatchObject({ code: status.UNAVAILABLE, details: 'server shutting down' });
    // tryShutdown finished on its own, well before the 2 s force deadline would cut it.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
