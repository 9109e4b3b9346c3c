import type { ClientReadableStream } from '@grpc/grpc-js';
import { callUnary, type EventLogServiceClient, type SubscribeResponse } from '@hello-es/contracts';
import { deferred, withTimeout } from '@hello-es/test-support';
import type { BenchContext } from '../context';
import { RunRecorder } from '../context';
import { F } from '../figures';
import { formatNumber } from '../report/format';
import { NotExactError } from '../system/check-state';
import { RssWatcher, sampleMemory } from '../system/rss';
import { startSystem, type System } from '../system/system';
import { fillLog } from './w2-catch-up';

/**
 * M: the eventlog's peak RSS (VmHWM) after storing the events, then with idle
 * subscribers (caught up, no traffic), then how much VmRSS grows while one
 * subscriber stops reading (a paused grpc-js stream from offset 0) and more
 * events are appended.
 */
export async function runM(context: BenchContext, run: string): Promise<void> {
  const ids = Object.values(F.m);
  const recorder = new RunRecorder(context, ids);
  const s = context.sizes;
  context.progress.step(`${run} M: storing ${s.mEvents.toLocaleString('en-US')} events`);
  let system: System | undefined;
  const streams: ClientReadableStream<SubscribeResponse>[] = [];
  try {
    system = await startSystem(context.spawn, false);
    const pid = system.eventlog.process.pid ?? 0;
    await fillLog(context, system, s.mEvents);
    await assertHead(system);
    const stored = await sampleMemory(pid);
    recorder.value(F.m.stored, stored.peakMb);
    recorder.value(F.m.storedNow, stored.rssMb);
    context.progress.note(
      `peak RSS ${formatNumber(stored.peakMb, 'MB')} MB while storing ${system.expected.count.toLocaleString('en-US')} events, ${formatNumber(stored.rssMb, 'MB')} MB now`,
    );

    context.progress.step(`${run} M: ${s.mIdleSubscribers} idle subscribers`);
    const idle = await openIdleSubscribers(system.log, BigInt(system.expected.count), s.mIdleSubscribers);
    streams.push(...idle);
    const withIdle = await sampleMemory(pid);
    recorder.value(F.m.idle, withIdle.peakMb);
    context.progress.note(`peak RSS ${formatNumber(withIdle.peakMb, 'MB')} MB (now ${formatNumber(withIdle.rssMb, 'MB')} MB)`);
    for (const stream of idle) stream.cancel();

    context.progress.step(`${run} M: one stuck subscriber while ${s.mStuckEvents.toLocaleString('en-US')} more events are appended`);
    const before = await sampleMemory(pid);
    const stuck = await openStuckSubscriber(system.log);
    streams.push(stuck);
    const watcher = new RssWatcher(pid);
    await fillLog(context, system, s.mStuckEvents);
    await assertHead(system);
    const lag = await stuckLag(system.log);
    const highest = await watcher.stop();
    const added = Math.max(0, highest - before.rssMb);
    recorder.value(F.m.stuckAdds, added);
    context.progress.note(`RSS ${formatNumber(before.rssMb, 'MB')} → at most ${formatNumber(highest, 'MB')} MB; the stuck subscriber is ${lag} events behind`);
  } catch (error: unknown) {
    recorder.failRest(error);
  } finally {
    for (const stream of streams) stream.cancel();
    await system?.stop();
  }
}

async function assertHead(system: System): Promise<void> {
  const info = await callUnary(system.log.getLogInfo.bind(system.log), {}, { timeoutMs: 10_000 });
  if (info.nextOffset !== BigInt(system.expected.count)) {
    throw new NotExactError(`head ${info.nextOffset}, expected ${system.expected.count} acknowledged events`);
  }
}

/** Subscribers from the head, each resolved once it said caught_up; then there is no traffic. */
async function openIdleSubscribers(log: EventLogServiceClient, head: bigint, count: number): Promise<ClientReadableStream<SubscribeResponse>[]> {
  const streams: ClientReadableStream<SubscribeResponse>[] = [];
  const caughtUp: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const stream = log.subscribe({ fromOffset: head, subscriberName: `bench-idle-${i}` });
    const ready = deferred();
    stream.on('data', (message: SubscribeResponse) => {
      if (message.kind?.$case === 'caughtUp') ready.resolve();
    });
    stream.on('error', (error: Error) => ready.reject(error));
    streams.push(stream);
    caughtUp.push(ready.promise);
  }
  try {
    await withTimeout(Promise.all(caughtUp), 60_000, `${count} idle subscribers to catch up`);
  } catch (error: unknown) {
    for (const stream of streams) stream.cancel();
    throw error;
  }
  return streams;
}

/**
 * A raw grpc-js stream from offset 0 that is paused after its first message:
 * grpc-js stops reading, the HTTP/2 window fills, and the server's writes
 * report backpressure. The server must not buffer the history for it.
 */
async function openStuckSubscriber(log: EventLogServiceClient): Promise<ClientReadableStream<SubscribeResponse>> {
  const stream = log.subscribe({ fromOffset: 0n, subscriberName: 'bench-stuck' });
  const first = deferred();
  stream.on('data', () => {
    stream.pause();
    first.resolve();
  });
  stream.on('error', (error: Error) => first.reject(error));
  await withTimeout(first.promise, 30_000, 'the stuck subscriber\'s first message');
  return stream;
}

async function stuckLag(log: EventLogServiceClient): Promise<string> {
  const list = await callUnary(log.listSubscriptions.bind(log), {}, { timeoutMs: 10_000 });
  const stuck = list.subscriptions.find((s) => s.subscriberName === 'bench-stuck');
  return stuck ? stuck.lag.toLocaleString('en-US') : 'unknown (not listed)';
}
