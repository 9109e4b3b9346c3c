/**
 * What must be stopped if the benchmark is interrupted (Ctrl-C, SIGTERM):
 * nats-servers run in their own session (setsid), so the terminal's SIGINT
 * never reaches them; without this they would outlive the run.
 */
const stops = new Set<() => Promise<void>>();
let installed = false;

/** Registers `stop` to run on SIGINT/SIGTERM; returns the function that unregisters it. */
export function stopOnInterrupt(stop: () => Promise<void>): () => void {
  install();
  stops.add(stop);
  return () => stops.delete(stop);
}

function install(): void {
  if (installed) return;
  installed = true;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    // npm, nx and tsx relay the signal too: the same Ctrl-C arrives more than
    // once, and a second one must not kill the process mid-cleanup (`on`, not `once`).
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the servers this run started\n`);
    // Bounded: a stop that hangs must not keep the process alive.
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
    void Promise.race([Promise.allSettled([...stops].map((stop) => stop())), deadline]).then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
