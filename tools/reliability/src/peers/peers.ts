import { callUnary, createEventLogClient } from '@hello-es/contracts';
import { makeTempDir, removeTempDir, waitFor } from '@hello-es/test-support';
import { pause } from '../crash-loop/append-with-retry';
import { ProcessSampler } from '../soak/process-sampler';
import { startManagedProcess } from '../system/managed-process';
import { MIB } from '../system/proc-stats';
import { runCrowd } from './crowd';
import { startFreezableProxy } from './freezable-proxy';
import { countListed, listSubscriptions } from './list-subscriptions';
import { preload, startSteadyWriter } from './steady-writer';
import { readSlowly, subscribe } from './subscribers';

/** docs/eventlog.md: memory per subscriber is bounded by about 3 MiB, whatever the backlog. */
export const SUBSCRIBER_BOUND_BYTES = 3 * MIB;
/** Allowance for heap noise from the appends themselves (the event log's own slow-subscriber test uses 32 MiB). */
export const RSS_SLACK_BYTES = 32 * MIB;

export interface PeersOptions {
  /** Events stored before the peers connect (in appends of 10,000). */
  readonly preloadEvents: number;
  readonly crowdSize: number;
  /** How long the stuck and slow subscribers are watched. */
  readonly slowReaderSeconds: number;
  readonly progress?: (line: string) => void;
}

export interface PeersResult {
  readonly eventsPreloaded: number;
  /** RSS after the preload, before any peer connected. */
  readonly baselineRssBytes: number;
  /** Peak RSS while 7 stuck or slow subscribers (5 half-open, 1 never reading, 1 slow) lagged. */
  readonly stuckPeakRssBytes: number;
  readonly stuckBoundBytes: number;
  readonly crowdSize: number;
  readonly crowdListed: number;
  readonly crowdPeakRssBytes: number;
  readonly crowdBoundBytes: number;
  readonly slowReaderMessages: number;
  readonly neverReaderLag: number;
  /** From freezing the half-open connections until ListSubscriptions dropped them. */
  readonly halfOpenDetectedAfterMs: number | undefined;
  readonly ghostsLeft: number;
  readonly appendsDuring: number;
  readonly violations: readonly string[];
}

const HALF_OPEN = 5;
const STUCK = HALF_OPEN + 2;

/**
 * Slow and stuck peers against a spawned event log holding `preloadEvents`,
 * while a writer keeps appending: first 5 half-open subscribers behind a
 * frozen proxy (only keepalive can find them), one that never reads and one
 * that reads a message a second; then a crowd of `crowdSize` at once. RSS
 * must stay within the documented per-subscriber bound in each phase,
 * appends must keep succeeding, and ListSubscriptions must end empty.
 */
export async function runPeers(options: PeersOptions): Promise<PeersResult> {
  const progress = options.progress ?? (() => undefined);
  const dir = await makeTempDir('reliability-peers-');
  const eventlog = await startManagedProcess('eventlog', { dataDir: dir });
  const sampler = new ProcessSampler(() => eventlog.pid(), 250).start();
  const client = createEventLogClient(eventlog.address);
  const readers = createEventLogClient(eventlog.address);
  const proxy = await startFreezableProxy(eventlog.address);
  const proxied = createEventLogClient(proxy.address);
  const violations: string[] = [];
  const writer = startSteadyWriter(createEventLogClient(eventlog.address, { channelOptions: { 'grpc.use_local_subchannel_pool': 1 } }), 100, 20);
  const expectNoFailure = (error: unknown): void => {
    violations.push(error instanceof Error ? error.message : String(error));
  };
  try {
    await preload(client, options.preloadEvents);
    await sampler.sample();
    const baselineRssBytes = sampler.samples[sampler.samples.length - 1]?.rssBytes ?? 0;
    const stuckPhase = sampler.mark();
    const halfOpen = Array.from({ length: HALF_OPEN }, (_, index) => subscribe(proxied, `half-open-${index}`, 0n, true));
    await waitFor(async () => (await countListed(client, 'half-open-')) === HALF_OPEN, { description: 'half-open subscriptions listed', timeoutMs: 30_000 });
    proxy.freeze();
    const frozenAt = Date.now();
    // The client gives up on them; nothing of that reaches the server.
    for (const subscription of halfOpen) subscription.cancel();
    proxied.close();
    const neverReads = subscribe(readers, 'never-reads', 0n, true);
    const slow = subscribe(readers, 'slow-reader', 0n, true);
    const stopSlow = readSlowly(slow, 1_000);
    progress(`peers: ${HALF_OPEN} half-open, 1 never-reading and 1 slow subscriber for ${options.slowReaderSeconds} s`);
    await pause(options.slowReaderSeconds * 1_000);
    stopSlow();
    const stuckPeakRssBytes = sampler.peakRssBytes(stuckPhase);
    const slowReaderMessages = slow.messages();
    const listed = await listSubscriptions(client);
    const neverReaderLag = Number(listed.find((subscription) => subscription.subscriberName === 'never-reads')?.lag ?? -1n);
    if (slowReaderMessages < 1) violations.push('the slow reader received nothing');

    progress(`peers: a crowd of ${options.crowdSize} subscribers`);
    const crowdPhase = sampler.mark();
    const head = async (): Promise<bigint> => (await callUnary(client.getLogInfo.bind(client), {}, { timeoutMs: 10_000 })).nextOffset;
    const crowd = await runCrowd(eventlog.address, client, options.crowdSize, head);
    violations.push(...crowd.problems);
    const crowdPeakRssBytes = sampler.peakRssBytes(crowdPhase);
    for (const stuck of [neverReads, slow]) {
      const error = stuck.error();
      if (error) violations.push(error);
      stuck.cancel();
    }
    await waitFor(async () => (await listSubscriptions(client)).every((s) => s.subscriberName.startsWith('half-open-')), {
      description: 'closed subscriptions to leave ListSubscriptions',
      timeoutMs: 30_000,
      intervalMs: 100,
    }).catch(expectNoFailure);
    progress('peers: waiting for keepalive to drop the half-open connections');
    const detected = await waitFor(async () => (await countListed(client, 'half-open-')) === 0, {
      description: 'half-open subscriptions to be dropped by keepalive',
      timeoutMs: 90_000,
      intervalMs: 250,
    }).then(() => Date.now() - frozenAt, (error: unknown) => {
      expectNoFailure(error);
      return undefined;
    });
    const ghostsLeft = (await listSubscriptions(client)).length;
    if (ghostsLeft > 0) violations.push(`${ghostsLeft} subscriptions still listed after every client left`);
    await writer.stop();
    if (writer.counts.failed > 0) violations.push(`${writer.counts.failed} appends failed during the peers scenario: ${writer.counts.lastError}`);
    const stuckBoundBytes = baselineRssBytes + STUCK * SUBSCRIBER_BOUND_BYTES + RSS_SLACK_BYTES;
    const crowdBoundBytes = baselineRssBytes + (STUCK + options.crowdSize) * SUBSCRIBER_BOUND_BYTES + RSS_SLACK_BYTES;
    if (stuckPeakRssBytes > stuckBoundBytes) violations.push(`with ${STUCK} stuck subscribers the event log's RSS peaked at ${mib(stuckPeakRssBytes)}, over ${mib(stuckBoundBytes)}`);
    if (crowdPeakRssBytes > crowdBoundBytes) violations.push(`with the crowd the event log's RSS peaked at ${mib(crowdPeakRssBytes)}, over ${mib(crowdBoundBytes)}`);
    return {
      eventsPreloaded: options.preloadEvents,
      baselineRssBytes,
      stuckPeakRssBytes,
      stuckBoundBytes,
      crowdSize: options.crowdSize,
      crowdListed: crowd.listed,
      crowdPeakRssBytes,
      crowdBoundBytes,
      slowReaderMessages,
      neverReaderLag,
      halfOpenDetectedAfterMs: detected,
      ghostsLeft,
      appendsDuring: writer.counts.acked,
      violations,
    };
  } finally {
    await writer.stop();
    sampler.stop();
    client.close();
    readers.close();
    await proxy.close();
    await eventlog.kill();
    await removeTempDir(dir);
  }
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}
