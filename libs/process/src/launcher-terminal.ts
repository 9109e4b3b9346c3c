import { closeSync, constants, openSync, readFileSync, readlinkSync, writeSync } from 'node:fs';

/**
 * Where an app's last line can reach a person when its own output cannot.
 * nx 24 runs each app with its stdout piped to nx, and on Ctrl-C nx silences
 * its own output at once (its task orchestrator replaces stdout.write with a
 * no-op) before it stops the apps, so their "stopped" lines never reach the
 * terminal (issue 10). The terminal nx was started from is still there: it
 * is what the nearest ancestor with a terminal writes to.
 */

const TERMINAL = /^\/dev\/(pts\/\d+|tty\w*)$/;

/** The terminal (e.g. /dev/pts/3) the nearest ancestor's stdout or stderr is, or undefined (none, or no /proc). */
export function findLauncherTerminal(startPid: number = process.ppid, maxDepth = 12): string | undefined {
  let pid: number | undefined = startPid;
  for (let depth = 0; depth < maxDepth && pid !== undefined && pid > 1; depth += 1) {
    for (const fd of [1, 2]) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (TERMINAL.test(target)) return target;
      } catch {
        // Not ours to read, or gone: look further up.
      }
    }
    pid = parentOf(pid);
  }
  return undefined;
}

function parentOf(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4; field 2 (the command) is in parentheses and may hold spaces.
    const parent = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isSafeInteger(parent) ? parent : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes `text` to the terminal at `path` synchronously (so it is out before
 * the process exits); false if it cannot. O_NOCTTY: an app nx started in a
 * session of its own must not make that terminal its controlling one.
 */
export function writeToTerminal(path: string, text: string): boolean {
  try {
    const fd = openSync(path, constants.O_WRONLY | constants.O_NOCTTY);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

/** The line a person sees, in the manner of the pretty log format. */
export function stopLine(app: string, message: string, now: Date = new Date()): string {
  const time = now.toTimeString().slice(0, 8) + '.' + String(now.getMilliseconds()).padStart(3, '0');
  return `[${time}] INFO (${app}): ${message}\n`;
}
