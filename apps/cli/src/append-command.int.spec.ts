import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { EventLogServiceService, type AppendRequest, type AppendResponse } from '@hello-es/contracts';
import { CALL_TIMEOUT_MS } from './clients';
import { appendCommand } from './commands';
import { CliError, EXIT_CANNOT_CONNECT, EXIT_SERVER_ERROR } from './errors';

/**
 * A log that answers an append only after the CLI's usual call deadline
 * (a gateway holding it through a JetStream leader election), or never, or
 * refuses it UNAVAILABLE itself (a gateway whose stream found no leader).
 */
describe('hello-es append against a log that answers late, never, or UNAVAILABLE', () => {
  let server: Server;
  let address: string;
  const unanswered: sendUnaryData<AppendResponse>[] = [];
  const printed: string[] = [];
  let write: jest.SpyInstance;

  beforeAll(async () => {
    server = new Server();
    const log: UntypedServiceImplementation = {
      append: (call: ServerUnaryCall<AppendRequest, AppendResponse>, callback: sendUnaryData<AppendResponse>) => {
        // The value 0 stands for an append whose answer never comes (a stalled gateway).
        if (call.request.values[0] === 0n) {
          unanswered.push(callback);
          return;
        }
        // The value 14 stands for a gateway giving up on an election.
        if (call.request.values[0] === 14n) {
          callback({ code: status.UNAVAILABLE, details: 'the stream has no leader (NATS_APPEND_TIMEOUT_SECONDS passed)' });
          return;
        }
        const count = BigInt(call.request.values.length);
        setTimeout(() => callback(null, { firstOffset: 0n, nextOffset: count, duplicate: false }), CALL_TIMEOUT_MS + 500);
      },
    };
    server.addService(EventLogServiceService, log);
    const port = await new Promise<number>((done, fail) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? fail(error) : done(bound))),
    );
    address = `127.0.0.1:${port}`;
  });
  beforeEach(() => {
    printed.length = 0;
    write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
  });
  afterEach(() => write.mockRestore());
  afterAll(() => {
    unanswered.forEach((callback) => callback(null, { firstOffset: 0n, nextOffset: 1n, duplicate: false }));
    server.forceShutdown();
  });

  it('waits past the 5 s call deadline for an append that is answered (an election), and prints it', async () => {
    const started = Date.now();
    await appendCommand([1n, 2n], {}, { log: address });
    expect(Date.now() - started).toBeGreaterThanOrEqual(CALL_TIMEOUT_MS + 400);
    expect(printed.join('')).toBe('offsets 0..1, next offset 2\n');
  }, 20_000);

  it('says an unanswered append may or may not be stored, and how to retry, with exit 2', async () => {
    const unkeyed = appendCommand([0n], {}, { log: address }, 300);
    await expect(unkeyed).rejects.toMatchObject({
      exitCode: EXIT_SERVER_ERROR,
      message: 'DEADLINE_EXCEEDED: no answer within 0.3 s; the append may or may not be stored (look with `hello-es read` before appending again; with --key a retry is safe)',
    });
    const keyed = appendCommand([0n], { key: 'k-1' }, { log: address }, 300);
    await expect(keyed).rejects.toBeInstanceOf(CliError);
    await expect(keyed).rejects.toMatchObject({
      exitCode: EXIT_SERVER_ERROR,
      message: 'DEADLINE_EXCEEDED: no answer within 0.3 s; the append may or may not be stored (retrying with the same --key is safe)',
    });
    expect(printed).toEqual([]);
  }, 20_000);

  it('reports an UNAVAILABLE the log itself answered as a server error, not as "cannot connect"', async () => {
    const refused = appendCommand([14n], {}, { log: address });
    await expect(refused).rejects.toBeInstanceOf(CliError);
    await expect(refused).rejects.toMatchObject({
      exitCode: EXIT_SERVER_ERROR,
      message: 'UNAVAILABLE: the stream has no leader (NATS_APPEND_TIMEOUT_SECONDS passed)',
    });
  });

  it('still reports a log nobody answers at as "cannot connect" (exit 3)', async () => {
    const closed = new Server();
    const port = await new Promise<number>((done, fail) =>
      closed.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? fail(error) : done(bound))),
    );
    await new Promise<void>((done) => closed.tryShutdown(() => done()));
    const down = appendCommand([1n], {}, { log: `127.0.0.1:${port}` });
    await expect(down).rejects.toMatchObject({ exitCode: EXIT_CANNOT_CONNECT, message: expect.stringMatching(new RegExp(`^cannot connect to 127\\.0\\.0\\.1:${port}: `)) });
  });
});
