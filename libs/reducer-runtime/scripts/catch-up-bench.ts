/**
 * How long a reducer takes to start and serve the full state of a large log,
 * without a snapshot (replaying everything) and with one (kill -9 after its
 * snapshot, then restart). Uses the built apps: run
 *   npx nx run-many -t build -p eventlog adder
 *   npx tsx libs/reducer-runtime/scripts/catch-up-bench.ts [events=1000000] [runs=3] [snapshotEveryEvents]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort, makeTempDir, removeTempDir, waitFor, type SpawnedApp } from '@hello-es/test-support';
import { append, CAUGHT_UP, getState, logLines, spawnEventLog, spawnReducer } from '../src/testing';

const events = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const snapshotEnv: Record<string, string> = process.argv[4] ? { SNAPSHOT_EVERY_EVENTS: process.argv[4] } : {};
const BATCH = 10_000;

async function fillLog(address: string): Promise<bigint> {
  let expected = 0n;
  const batches: bigint[][] = [];
  for (let first = 0; first < events; first += BATCH) {
    const values = Array.from({ length: Math.min(BATCH, events - first) }, (_, i) => BigInt(((first + i) % 7) - 3));
    for (const value of values) expected += value;
    batches.push(values);
  }
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(batches.slice(i, i + 8).map((values) => append(address, values)));
  }
  return expected;
}

/** Spawns the adder and waits until GetState reports every event applied; returns ms and the app. */
async function timeToFullState(port: number, dataDir: string, expected: bigint): Promise<{ ms: number; app: SpawnedApp }> {
  const started = process.hrtime.bigint();
  const app = await spawnReducer({ name: 'adder', eventLogPort: port, dataDir, env: snapshotEnv });
  const state = await getState(app.address, BigInt(events), 600_000);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (state.value !== expected.toString()) throw new Error(`FAILED: adder says ${state.value}, expected ${expected}`);
  return { ms, app };
}

/** The adder's "caught up at offset N" log line (it carries `applied`, the events of that catch-up). */
function caughtUpLine(app: SpawnedApp): Promise<Record<string, unknown>> {
  return waitFor(() => logLines(app, CAUGHT_UP)[0], { description: 'the adder to catch up', timeoutMs: 60_000 });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const logDir = await makeTempDir('bench-log-');
  const port = await findFreePort();
  const log = await spawnEventLog({ dataDir: logDir, port });
  const apps: SpawnedApp[] = [log];
  try {
    const fillStart = Date.now();
    const expected = await fillLog(`127.0.0.1:${port}`);
    console.log(`log filled with ${events} events in ${Date.now() - fillStart} ms`);
    const fresh: number[] = [];
    const resumed: number[] = [];
    for (let run = 0; run < runs; run++) {
      const reducerDir = await makeTempDir('bench-adder-');
      const first = await timeToFullState(port, reducerDir, expected);
      apps.push(first.app);
      fresh.push(first.ms);
      const firstCaughtUp = await caughtUpLine(first.app);
      const replayed = firstCaughtUp['applied'];
      const catchUpMs = Number(firstCaughtUp['time']) - Number(logLines(first.app, 'listening')[0]?.['time']);
      await waitFor(
        async () => JSON.parse(await readFile(join(reducerDir, 'adder', 'snapshot.json'), 'utf8')).nextOffset === String(events),
        { description: 'the snapshot at the head', timeoutMs: 60_000 },
      );
      await first.app.kill();
      const second = await timeToFullState(port, reducerDir, expected);
      apps.push(second.app);
      resumed.push(second.ms);
      const replayedAfter = (await caughtUpLine(second.app))['applied'];
      await second.app.kill();
      await removeTempDir(reducerDir);
      console.log(
        `run ${run + 1}: no snapshot ${first.ms.toFixed(0)} ms (replayed ${String(replayed)}, ` +
          `${((events / first.ms) * 1000).toFixed(0)} events/s incl. start; ` +
          `listening → caught up ${catchUpMs} ms = ${((events / catchUpMs) * 1000).toFixed(0)} events/s); ` +
          `with snapshot ${second.ms.toFixed(0)} ms (replayed ${String(replayedAfter)})`,
      );
    }
    console.log(
      `median of ${runs}: start + catch-up of ${events} events without snapshot ${median(fresh).toFixed(0)} ms ` +
        `(${((events / median(fresh)) * 1000).toFixed(0)} events/s); with snapshot ${median(resumed).toFixed(0)} ms`,
    );
  } finally {
    await Promise.all(apps.map((app) => app.kill()));
    await removeTempDir(logDir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
