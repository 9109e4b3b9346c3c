import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/PID/stat counts CPU time in ticks of 10 ms. */
const TICKS_PER_SECOND = 100;

/**
 * utime + stime of every thread of the process (fields 14 and 15 of
 * /proc/PID/stat, after the parenthesised command name, which may contain
 * spaces), in milliseconds; undefined if the text cannot be read.
 */
export function parseProcStatCpuMs(text: string): number | undefined {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) is fields[11] and stime (15) fields[12].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** CPU time a process has used so far, in ms; throws if it is gone. */
export function processCpuMs(pid: number): number {
  const ms = parseProcStatCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (ms === undefined) throw new Error(`no utime/stime in /proc/${pid}/stat`);
  return ms;
}

/** The pid of a spawned app; throws if it has none (it failed to start). */
export function pidOf(app: { readonly name: string; readonly process: { readonly pid?: number | undefined } }): number {
  const pid = app.process.pid;
  if (pid === undefined) throw new Error(`${app.name} has no pid`);
  return pid;
}

/** "client 85, eventlog 213, …" for the progress line. */
export function formatCpu(perEvent: Readonly<Record<string, number>>): string {
  return Object.entries(perEvent)
    .map(([name, us]) => `${name} ${us < 1 ? us.toFixed(2) : us < 10 ? us.toFixed(1) : us.toFixed(0)}`)
    .join(', ');
}

/** This process's CPU time so far (user + system), in ms. */
function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Measures the CPU each process spent between `new CpuMeter` and `perEvent`,
 * in microseconds per event: `client` is this (the benchmark's) process, the
 * others are read from /proc. Cheap: one small file read per process at each
 * end, nothing during the phase. Resolution: 10 ms per process.
 */
export class CpuMeter<Name extends string> {
  private readonly startClient = ownCpuMs();
  private readonly startByName: Map<Name, number>;

  constructor(private readonly pids: Readonly<Record<Name, number>>) {
    this.startByName = new Map((Object.keys(pids) as Name[]).map((name) => [name, processCpuMs(pids[name])]));
  }

  /** µs of CPU per event for the client and each process, since construction. */
  perEvent(events: number): Record<Name | 'client', number> {
    const result = { client: ((ownCpuMs() - this.startClient) * 1000) / events } as Record<Name | 'client', number>;
    for (const [name, start] of this.startByName) result[name] = ((processCpuMs(this.pids[name]) - start) * 1000) / events;
    return result;
  }
}
