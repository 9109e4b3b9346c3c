/**
 * Runs `count` asynchronous operations keeping `window` of them in flight
 * (a pipelined window: the next starts as soon as one finishes). `start`
 * launches operation `index` and calls `finished` with an error or nothing.
 * Resolves when all finished; rejects on the first error, after which
 * nothing new starts.
 */
export function runPipelined(
  count: number,
  window: number,
  start: (index: number, finished: (error?: unknown) => void) => void,
  onProgress?: (done: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (count === 0) {
      resolve();
      return;
    }
    let started = 0;
    let done = 0;
    let failed = false;
    const launch = (): void => {
      start(started++, (error?: unknown) => {
        if (failed) return;
        if (error !== undefined) {
          failed = true;
          reject(error);
          return;
        }
        done++;
        if (done % 256 === 0) onProgress?.(done);
        if (done === count) resolve();
        else if (started < count) launch();
      });
    };
    for (let i = 0; i < Math.min(window, count); i++) launch();
  });
}
