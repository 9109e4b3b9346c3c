/**
 * Calls `onGone` once when this process's parent changes (the launcher died
 * and the process was re-parented to init or a subreaper). nx 24 starts apps
 * in a session of their own, so a `kill -9` of nx reaches no app otherwise.
 * Polls `process.ppid`; the timer does not keep the process alive.
 */
export function watchParent(onGone: () => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
