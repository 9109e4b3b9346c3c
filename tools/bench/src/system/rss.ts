import { readFile } from 'node:fs/promises';

/** Resident memory of a process, in MB (2^20 bytes). */
export interface MemorySample {
  /** VmRSS: resident now. */
  readonly rssMb: number;
  /** VmHWM: the peak resident size since the process started. */
  readonly peakMb: number;
}

/** Parses VmRSS and VmHWM out of a /proc/PID/status text; undefined if either is missing. */
export function parseProcStatus(text: string): MemorySample | undefined {
  const rss = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
  const hwm = /^VmHWM:\s+(\d+)\s+kB$/m.exec(text);
  if (!rss?.[1] || !hwm?.[1]) return undefined;
  return { rssMb: Number(rss[1]) / 1024, peakMb: Number(hwm[1]) / 1024 };
}

/** Reads /proc/PID/status; throws if the process is gone or the fields are missing. */
export async function sampleMemory(pid: number): Promise<MemorySample> {
  const sample = parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
  if (!sample) throw new Error(`no VmRSS/VmHWM in /proc/${pid}/status`);
  return sample;
}

/**
 * Samples a process's VmRSS every `intervalMs` in the background and keeps
 * the highest, for phases where VmHWM (peak since start) says too little.
 */
export class RssWatcher {
  private highest = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 50,
  ) {
    this.timer = setInterval(() => {
      sampleMemory(this.pid).then(
        (sample) => {
          this.highest = Math.max(this.highest, sample.rssMb);
        },
        () => undefined, // the process ended; the caller notices on its own
      );
    }, intervalMs);
  }

  /** The highest VmRSS seen so far, in MB. */
  get highestMb(): number {
    return this.highest;
  }

  /** Takes one more sample and stops; returns the highest VmRSS seen. */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    const last = await sampleMemory(this.pid).catch(() => undefined);
    if (last) this.highest = Math.max(this.highest, last.rssMb);
    return this.highest;
  }
}
