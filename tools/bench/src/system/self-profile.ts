import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CpuProfile } from '../profile-summary';

/**
 * --profile for the benchmark process itself (the appending client and the
 * WatchState followers, a hop the issue asks to account for): the V8
 * profiler running here, as profile-hook.cjs runs it in the apps.
 */
export class SelfProfile {
  private readonly session = new Session();

  constructor(private readonly dir: string) {
    this.session.connect();
    this.session.post('Profiler.enable');
    this.session.post('Profiler.setSamplingInterval', { interval: 200 });
    this.session.post('Profiler.start');
  }

  /** What was sampled since the start or the previous cut; sampling goes on afresh. */
  async cut(): Promise<CpuProfile> {
    const profile = await this.stopProfiler();
    this.session.post('Profiler.start');
    return profile;
  }

  /** Stops for good and writes what was sampled since the last cut to `bench-client-<pid>.cpuprofile`; returns its path. */
  async stop(): Promise<string> {
    const profile = await this.stopProfiler();
    this.session.disconnect();
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `bench-client-${process.pid}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  }

  private stopProfiler(): Promise<CpuProfile> {
    return new Promise((resolve, reject) => {
      this.session.post('Profiler.stop', (error, result) => {
        if (error) reject(error);
        else resolve(result.profile as unknown as CpuProfile);
      });
    });
  }
}
