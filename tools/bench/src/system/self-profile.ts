import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * --profile for the benchmark process itself (the appending client and the
 * WatchState followers, a hop the issue asks to account for): starts the V8
 * profiler here, as profile-hook.cjs does in the apps. The returned function
 * stops it and writes `bench-client-<pid>.cpuprofile` into `dir`, returning
 * the path.
 */
export function startSelfProfile(dir: string): () => Promise<string> {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  return () =>
    new Promise((resolve, reject) => {
      session.post('Profiler.stop', (error, result) => {
        session.disconnect();
        if (error) return reject(error);
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `bench-client-${process.pid}.cpuprofile`);
        writeFileSync(file, JSON.stringify(result.profile));
        resolve(file);
      });
    });
}
