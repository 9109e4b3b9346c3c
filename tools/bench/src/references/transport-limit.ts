import { createEventLogClient } from '@hello-es/contracts';
import type { BenchContext } from '../context';
import { RunRecorder } from '../context';
import { F } from '../figures';
import { formatNumber } from '../report/format';
import { percentile, ratePerSecond } from '../report/stats';
import { appendWindow } from '../system/append-window';
import { appenderWindow } from '../system/appender-window';
import { subscribeAll } from '../system/read-all';
import { ExpectedFold } from '../values';
import { listeningPort, spawnScript } from './run-script';

/**
 * The transport limit: the same generated client against a bare grpc-js
 * server in its own process (no storage, no logic): unary Appends of the
 * same requests at the same concurrency, the same appends over one
 * AppendStream (echoed pre-encoded replies: the transport bound of that RPC),
 * and a Subscribe stream of the same EventBatch messages.
 */
export async function runTransportLimit(context: BenchContext, run: string): Promise<void> {
  const s = context.sizes;
  const recorder = new RunRecorder(context, Object.values(F.transport));
  context.progress.step(`${run} transport limit: bare grpc-js server`);
  const server = spawnScript('transport-server-script.ts', [String(s.w2Events)]);
  try {
    const port = await listeningPort(server.stdout);
    const log = createEventLogClient(`127.0.0.1:${port}`);
    try {
      const fold = new ExpectedFold();
      const single = await appendWindow(log, fold, { appends: s.w1SingleAppends, window: 1, batch: 1 });
      const singleEnd = performance.now();
      const latencies = new Float64Array(s.w1SingleAppends);
      for (let i = 0; i < latencies.length; i++) latencies[i] = ((single.starts[i + 1] ?? singleEnd) as number) - (single.starts[i] as number);
      recorder.value(F.transport.single, ratePerSecond(s.w1SingleAppends, singleEnd - (single.starts[0] ?? 0)));
      recorder.value(F.transport.singleP99, percentile(latencies.sort(), 99));
      const windowRate = await timedWindow(log, fold, s.w1WindowAppends, s.window, 1);
      recorder.value(F.transport.window, windowRate);
      const batchRate = await timedWindow(log, fold, s.w1bAppends, s.window, s.batchValues);
      recorder.value(F.transport.batch, batchRate);
      const bidiSingle = await appenderWindow(log, fold, { appends: s.w1StreamSingleAppends, window: 1, batch: 1 });
      recorder.value(F.transport.bidiSingle, ratePerSecond(s.w1StreamSingleAppends, performance.now() - (bidiSingle.starts[0] ?? 0)));
      const replies = new Float64Array(s.w1StreamSingleAppends);
      for (let i = 0; i < replies.length; i++) replies[i] = (bidiSingle.acks[i] as number) - (bidiSingle.starts[i] as number);
      recorder.value(F.transport.bidiSingleP99, percentile(replies.sort(), 99));
      const bidi = await appenderWindow(log, fold, { appends: s.w1StreamWindowAppends, window: s.window, batch: 1 });
      const bidiRate = ratePerSecond(s.w1StreamWindowAppends, performance.now() - (bidi.starts[0] ?? 0));
      recorder.value(F.transport.bidiWindow, bidiRate);
      const read = await subscribeAll(log, s.w2Events, (n) => context.progress.update(`${n.toLocaleString('en-US')} streamed`));
      const streamRate = ratePerSecond(s.w2Events, read.milliseconds);
      recorder.value(F.transport.stream, streamRate);
      context.progress.note(
        `unary ${formatNumber(windowRate, 'events/s')} calls/s at ${s.window} in flight, ${formatNumber(batchRate, 'events/s')} values/s batched; bidi ${formatNumber(bidiRate, 'events/s')} appends/s at ${s.window} in flight; stream ${formatNumber(streamRate, 'events/s')} events/s`,
      );
    } finally {
      log.close();
    }
  } catch (error: unknown) {
    recorder.failRest(error);
  } finally {
    server.kill('SIGKILL');
  }
}

async function timedWindow(log: ReturnType<typeof createEventLogClient>, fold: ExpectedFold, appends: number, window: number, batch: number): Promise<number> {
  const timeline = await appendWindow(log, fold, { appends, window, batch });
  return ratePerSecond(appends * batch, performance.now() - (timeline.starts[0] ?? 0));
}
