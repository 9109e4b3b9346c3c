import { Server, ServerCredentials, status, type ServerDuplexStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { createEventLogClient, EventLogServiceService, type EventLogServiceClient } from '@hello-es/contracts';
import { openStreamAppends } from './stream-appends';

/**
 * A log whose AppendStream reads every append and never answers (a stalled
 * disk): the CLI's appends must still end, with DEADLINE_EXCEEDED and
 * "may or may not be stored", instead of hanging the command.
 */
describe('openStreamAppends against a log that never answers', () => {
  let server: Server;
  let client: EventLogServiceClient;
  const open: ServerDuplexStream<unknown, unknown>[] = [];

  beforeAll(async () => {
    server = new Server();
    const silent: UntypedServiceImplementation = {
      appendStream: (call: ServerDuplexStream<unknown, unknown>) => {
        open.push(call);
        call.on('data', () => undefined);
      },
    };
    server.addService(EventLogServiceService, silent);
    const port = await new Promise<number>((done, fail) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? fail(error) : done(bound))),
    );
    client = createEventLogClient(`127.0.0.1:${port}`);
  });
  afterAll(async () => {
    client.close();
    open.forEach((call) => call.destroy());
    server.forceShutdown();
  });

  it('fails each unanswered append with DEADLINE_EXCEEDED after four call timeouts, and close() returns', async () => {
    const appends = openStreamAppends(client, 100, 4);
    const started = Date.now();
    const outcomes = await Promise.allSettled([appends.append([1n]), appends.append([2n, 3n])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    for (const outcome of outcomes) {
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: status.DEADLINE_EXCEEDED, outcomeUnknown: true });
      expect(String((outcome as PromiseRejectedResult).reason.details)).toContain('may or may not be stored');
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    await appends.close();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
