import { Server, ServerCredentials, type ServerDuplexStream } from '@grpc/grpc-js';
import { createEventLogClient, EventLogServiceService, type AppendStreamRequest, type AppendStreamResponse } from '@hello-es/contracts';
import { ExpectedFold } from '../values';
import { appenderWindow } from './appender-window';

type Call = ServerDuplexStream<AppendStreamRequest, AppendStreamResponse>;

/** An in-process AppendStream that answers with `answer`, or not at all when it returns undefined. */
async function serve(answer: (request: AppendStreamRequest, call: Call) => AppendStreamResponse['result'] | undefined): Promise<{ address: string; server: Server }> {
  const server = new Server();
  server.addService(EventLogServiceService, {
    appendStream: (call: Call) => {
      call.on('data', (request: AppendStreamRequest) => {
        const result = answer(request, call);
        if (result) call.write({ requestId: request.requestId, result, results: [] });
      });
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { address: `127.0.0.1:${port}`, server };
}

describe('appenderWindow', () => {
  let server: Server | undefined;
  afterEach(() => server?.forceShutdown());

  it('matches responses by request_id even when they come back out of order', async () => {
    const held: AppendStreamRequest[] = [];
    let next = 0n;
    const started = await serve((request, call) => {
      // Answer in pairs, the second of each pair first.
      held.push(request);
      if (held.length < 2) return undefined;
      for (const r of held.reverse()) call.write({ requestId: r.requestId, result: { $case: 'appended', value: { firstOffset: next, nextOffset: ++next, duplicate: false } }, results: [] });
      held.length = 0;
      return undefined;
    });
    server = started.server;
    const log = createEventLogClient(started.address);
    try {
      const fold = new ExpectedFold();
      const timeline = await appenderWindow(log, fold, { appends: 100, window: 8, batch: 1 });
      expect(fold.count).toBe(100);
      expect(new Set(timeline.nextOffsets).size).toBe(100);
    } finally {
      log.close();
    }
  });

  it('rejects with the code and message of an append answered with an AppendError', async () => {
    const started = await serve((request) =>
      request.requestId === 5n
        ? { $case: 'error', value: { code: 9, message: 'expected next offset 3, log is at 4' } }
        : { $case: 'appended', value: { firstOffset: 0n, nextOffset: 1n, duplicate: false } },
    );
    server = started.server;
    const log = createEventLogClient(started.address);
    try {
      const fold = new ExpectedFold();
      const sent = appenderWindow(log, fold, { appends: 50, window: 4, batch: 1 });
      await expect(sent).rejects.toMatchObject({ code: 9, details: 'expected next offset 3, log is at 4', outcomeUnknown: false });
      // Nothing after the failed append was started, and it was not counted.
      expect(fold.count).toBeLessThan(50);
    } finally {
      log.close();
    }
  });
});
