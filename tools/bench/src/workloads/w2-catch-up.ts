import { createReducerClient, type ReducerServiceClient } from '@hello-es/contracts';
import { makeTempDir, removeTempDir, type SpawnedApp } from '@hello-es/test-support';
import type { BenchContext } from '../context';
import { RunRecorder } from '../context';
import { F, prefixed } from '../figures';
import { formatNumber } from '../report/format';
import { ratePerSecond } from '../report/stats';
import { spawnReducer } from '../system/apps';
import { appendWindow } from '../system/append-window';
import { checkReducerState, NotExactError } from '../system/check-state';
import { subscribeAll } from '../system/read-all';
import { fileDeployment, type Deployment, type System } from '../system/system';

/** Values per Append when filling the log: the server's maximum. */
export const FILL_BATCH = 10_000;
const FILL_WINDOW = 8;

/** Appends `events` values in appends of 10,000 (8 in flight), with progress. */
export async function fillLog(context: BenchContext, system: System, events: number): Promise<void> {
  const appends = Math.ceil(events / FILL_BATCH);
  await appendWindow(system.log, system.expected, {
    appends,
    window: FILL_WINDOW,
    batch: FILL_BATCH,
    onProgress: (done) => context.progress.update(`${(done * FILL_BATCH).toLocaleString('en-US')} events stored`),
  });
}

/**
 * W2 and W3 on one eventlog: store the events, read them all with a fresh
 * Subscribe, start a fresh adder (no snapshot) and wait for GetState to show
 * everything; then kill -9 that adder, restart it on its data dir and time
 * until it serves the full state.
 */
export async function runW2(context: BenchContext, run: string, deployment: Deployment = fileDeployment(context.spawn)): Promise<void> {
  const w2 = prefixed(F.w2, deployment.prefix);
  const w3 = prefixed(F.w3, deployment.prefix);
  const ids = [w2.subscribe, w2.catchUpRate, w2.catchUpTime, w3.restart];
  context.progress.step(`${run} W2: storing ${context.sizes.w2Events.toLocaleString('en-US')} events`);
  let system: System | undefined;
  let adderDir: string | undefined;
  const adders: SpawnedApp[] = [];
  const recorder = new RunRecorder(context, ids);
  try {
    system = await deployment.start(false);
    await fillLog(context, system, context.sizes.w2Events);
    const head = system.expected.count;

    context.progress.step(`${run} W2: fresh Subscribe from 0`);
    const read = await subscribeAll(system.log, head, (n) => context.progress.update(`${n.toLocaleString('en-US')} events`));
    if (read.sum !== system.expected.sum) throw new NotExactError(`Subscribe: sum ${read.sum}, expected ${system.expected.sum}`);
    const subscribeRate = ratePerSecond(head, read.milliseconds);
    recorder.value(w2.subscribe, subscribeRate);
    context.progress.note(`${formatNumber(subscribeRate, 'events/s')} events/s; dense, sum exact`);

    context.progress.step(`${run} W2: fresh adder catching up`);
    adderDir = await makeTempDir('hello-es-bench-adder-');
    const spawnedAt = performance.now();
    const adder = await spawnReducer(context.spawn, 'adder', system.eventlog.address, adderDir);
    adders.push(adder);
    const listeningAt = performance.now();
    const appliedAt = await waitForFullState(adder, system);
    const catchUpRate = ratePerSecond(head, appliedAt - listeningAt);
    recorder.value(w2.catchUpRate, catchUpRate);
    recorder.value(w2.catchUpTime, (appliedAt - spawnedAt) / 1000);
    context.progress.note(
      `${formatNumber(catchUpRate, 'events/s')} events/s after listening; ${formatNumber((appliedAt - spawnedAt) / 1000, 's')} s from spawn; exact`,
    );

    context.progress.step(`${run} W3: kill -9 the adder, restart on its data dir`);
    await adder.kill();
    const restartedAt = performance.now();
    const restarted = await spawnReducer(context.spawn, 'adder', system.eventlog.address, adderDir);
    adders.push(restarted);
    const servedAt = await waitForFullState(restarted, system);
    recorder.value(w3.restart, (servedAt - restartedAt) / 1000);
    context.progress.note(`${formatNumber((servedAt - restartedAt) / 1000, 's')} s from spawn to the full, exact state`);
  } catch (error: unknown) {
    recorder.failRest(error);
  } finally {
    await Promise.all(adders.map((adder) => adder.stop()));
    await system?.stop();
    if (adderDir) await removeTempDir(adderDir);
  }
}

/** GetState with min_next_offset = head on the new adder; checks the sum; returns when it answered. */
async function waitForFullState(adder: SpawnedApp, system: System): Promise<number> {
  const client: ReducerServiceClient = createReducerClient(adder.address);
  try {
    const problem = await checkReducerState(client, 'adder', system.expected, 120_000);
    const answeredAt = performance.now();
    if (problem) throw new NotExactError(problem);
    return answeredAt;
  } finally {
    client.close();
  }
}
