import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@hello-es/test-support';
import { breakdownOf, type CpuProfile, type ProfileBreakdown } from '../profile-summary';
import { SourceResolver } from '../profile-categories';
import type { SelfProfile } from './self-profile';

/** One process's part of one phase: its CPU per event and where the profile says it went. */
export interface HopProfile {
  readonly process: string;
  readonly cpuUsPerEvent: number;
  readonly breakdown: ProfileBreakdown;
  /** The phase's profile of this process, for `profile-summary.ts` or Chrome DevTools. */
  readonly file: string;
}

export interface PhaseProfile {
  readonly phase: string;
  readonly hops: readonly HopProfile[];
}

/** What --profile shares across a run: where profiles go, the benchmark's own profiler, the phases so far. */
export interface ProfileSession {
  readonly dir: string;
  readonly self: SelfProfile;
  readonly phases: PhaseProfile[];
}

/** Functions listed per hop. */
const TOP_FUNCTIONS = 8;
/** A cut profile is written in well under a second; more means the app is gone. */
const CUT_DEADLINE_MS = 15_000;

/**
 * Profiles one phase in every process: cuts each app's profile (SIGUSR2 to
 * profile-hook.cjs) and the benchmark's own at the start and at the end, so
 * the second part is the phase alone, then summarises each by category.
 * The app names are their dist/apps folder names, as the hook names its files.
 */
export class PhaseProfiler<Name extends string> {
  private static readonly cuts = new Map<number, number>();

  private constructor(
    private readonly session: ProfileSession,
    private readonly pids: Readonly<Record<Name, number>>,
  ) {}

  /** Starts a phase's profiles (the parts before it are discarded). */
  static async start<Name extends string>(session: ProfileSession, pids: Readonly<Record<Name, number>>): Promise<PhaseProfiler<Name>> {
    const profiler = new PhaseProfiler(session, pids);
    await profiler.cutAll();
    await session.self.cut();
    return profiler;
  }

  /** Ends the phase: writes its profiles under `<dir>/<phase>/` and records the summary. */
  async finish(phase: string, cpuUsPerEvent: Readonly<Record<Name | 'client', number>>): Promise<PhaseProfile> {
    const client = await this.session.self.cut();
    const files = await this.cutAll();
    const dir = join(this.session.dir, slugOf(phase));
    mkdirSync(dir, { recursive: true });
    const resolver = new SourceResolver();
    const clientFile = join(dir, 'bench-client.cpuprofile');
    writeFileSync(clientFile, JSON.stringify(client));
    const hops: HopProfile[] = [
      { process: 'client', cpuUsPerEvent: cpuUsPerEvent.client, breakdown: breakdownOf(client, TOP_FUNCTIONS, resolver), file: clientFile },
    ];
    for (const name of Object.keys(this.pids) as Name[]) {
      const file = join(dir, `${name}.cpuprofile`);
      renameSync(files[name], file);
      const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
      hops.push({ process: name, cpuUsPerEvent: cpuUsPerEvent[name], breakdown: breakdownOf(profile, TOP_FUNCTIONS, resolver), file });
    }
    const result = { phase, hops };
    this.session.phases.push(result);
    return result;
  }

  /** Cuts every app's profile; resolves with the files once all are written. */
  private async cutAll(): Promise<Record<Name, string>> {
    const files = {} as Record<Name, string>;
    for (const name of Object.keys(this.pids) as Name[]) {
      const pid = this.pids[name];
      const cut = (PhaseProfiler.cuts.get(pid) ?? 0) + 1;
      PhaseProfiler.cuts.set(pid, cut);
      files[name] = join(this.session.dir, `${name}-${pid}-cut${cut}.cpuprofile`);
      process.kill(pid, 'SIGUSR2');
    }
    await waitFor(() => Object.values<string>(files).every((file) => existsSync(file)), {
      timeoutMs: CUT_DEADLINE_MS,
      description: 'the apps writing their cut CPU profiles',
    });
    return files;
  }
}

function slugOf(phase: string): string {
  return phase.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
