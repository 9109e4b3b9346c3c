import { MultiBar, type SingleBar } from 'cli-progress';
import type { GlobalOptions } from './addresses';

/** A progress display: a bar on a terminal, nothing otherwise. */
export interface Progress {
  /** Sets how much is done. */
  update(done: number): void;
  /** Writes a line of output above the bar (plain stdout when there is no bar). */
  line(text: string): void;
  /** Removes the bar; later output is plain. */
  stop(): void;
}

/** True when a bar may be drawn: stdout is a terminal and --no-progress was not given. */
export function progressWanted(options: GlobalOptions): boolean {
  return options.progress !== false && process.stdout.isTTY === true;
}

const NO_PROGRESS: Progress = {
  update: () => undefined,
  line: (text) => void process.stdout.write(`${text}\n`),
  stop: () => undefined,
};

/**
 * A bar drawn on stdout, only when stdout is a terminal (a pipe or file gets
 * exactly the command's output, no escape codes). `unit` names what is
 * counted ("events"); a total of 0 means unknown (a counter and a rate, no bar).
 */
export function startProgress(options: GlobalOptions, unit: string, total = 0): Progress {
  if (!progressWanted(options)) return NO_PROGRESS;
  const bars = new MultiBar({
    stream: process.stdout,
    format: total > 0 ? `{bar} {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}` : `{value} ${unit} | {rate} ${unit}/s`,
    clearOnComplete: true,
    // A killed CLI must not leave the terminal without a cursor.
    hideCursor: false,
    // Ctrl-C is the command's to handle (tail, watch); the bar must not swallow it.
    gracefulExit: false,
    etaBuffer: 50,
  });
  const started = Date.now();
  const bar: SingleBar = bars.create(total, 0, { rate: 0 });
  let logged = false;
  let drawn = false;
  // Lines wait in cli-progress's buffer until the next redraw; redrawing at
  // each update keeps that buffer to one batch of lines, and stop() must
  // redraw once more or the last lines would be lost.
  const flush = (): void => {
    if (logged) bars.update();
    logged = false;
  };
  return {
    update(done) {
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds) : 0 });
      // cli-progress first draws a throttle interval (100 ms) after start: a
      // command done sooner would never show where it got. Draw at the first
      // progress made, then at cli-progress's own pace.
      if (!drawn) {
        drawn = true;
        logged = true;
      }
      flush();
    },
    line(text) {
      bars.log(`${text}\n`);
      logged = true;
    },
    stop() {
      flush();
      bars.stop();
    },
  };
}
