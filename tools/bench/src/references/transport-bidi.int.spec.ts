import { createEventLogClient } from '@hello-es/contracts';
import { deferred } from '@hello-es/test-support';
import { appenderWindow } from '../system/appender-window';
import { ExpectedFold } from '../values';
import { listeningPort, spawnScript } from './run-script';

/**
 * The bare bidi reference must answer every request with its own
 * request_id (copied from the request's bytes), or the pipelined client
 * could not match responses: this runs the benchmark's AppendStream client
 * (createAppender) against it with 64 in flight and ids past one varint byte.
 */
describe('the bare grpc-js AppendStream reference', () => {
  it('echoes each request_id, so 64 pipelined appends over one stream all complete', async () => {
    const server = spawnScript('transport-server-script.ts', ['4096']);
    const exited = deferred<void>();
    server.once('exit', () => exited.resolve());
    const log = createEventLogClient(`127.0.0.1:${await listeningPort(server.stdout)}`);
    try {
      const fold = new ExpectedFold();
      const timeline = await appenderWindow(log, fold, { appends: 700, window: 64, batch: 1 });
      expect(fold.count).toBe(700);
      expect([...timeline.nextOffsets].every((offset) => offset === 1)).toBe(true);
      expect([...timeline.acks].every((ack, i) => ack >= (timeline.starts[i] as number))).toBe(true);
    } finally {
      log.close();
      server.kill('SIGKILL');
      await exited.promise;
    }
  });
});
