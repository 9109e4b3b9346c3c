import { readdir, readFile } from 'node:fs/promises';

/** Resident set size of a process in bytes, from /proc/PID/status (VmRSS). */
export async function readRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Open file descriptors of a process, counted in /proc/PID/fd. */
export async function countOpenFds(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

export const MIB = 1024 * 1024;
