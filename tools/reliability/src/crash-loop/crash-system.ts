import { removeTempDir } from '@hello-es/test-support';
import { startSystem } from '../system/managed-process';

/** A process the crash loop may kill with SIGKILL and start again. */
export interface Victim {
  /** As the report names it: "eventlog", "gateway-a", "nats-leader", … */
  readonly name: string;
  /** The pid of the current incarnation, or -1 when unknown (no RSS sample then). */
  pid(): number;
  /** SIGKILL (resolving which process, if the victim is a role such as the stream leader), then wait for it to end. */
  kill(): Promise<void>;
  /** Start it again on the same address and data, and wait until the system is whole again. */
  restart(): Promise<void>;
}

/**
 * The system under the crash loop, whatever its storage: where clients append
 * (one gateway for the file backend, several for JetStream), where the
 * reducers answer, and what may be killed.
 */
export interface CrashSystem {
  readonly storage: 'file' | 'jetstream';
  readonly victims: readonly Victim[];
  /** Event log addresses; a writer appends through one and fails over to the others. */
  readonly gateways: readonly string[];
  readonly reducers: { readonly adder: string; readonly multiplier: string };
  /** Kills everything still running and removes what it created (on success). */
  stop(keepData: boolean): Promise<void>;
  /** Where the data stays after a failed run, for the report. */
  readonly dataDir: string;
}

/** The file backend: one event log and both reducers on one data dir. */
export async function startFileCrashSystem(dataDir: string): Promise<CrashSystem> {
  const system = await startSystem(dataDir);
  return {
    storage: 'file',
    victims: system.all,
    gateways: [system.eventlog.address],
    reducers: { adder: system.adder.address, multiplier: system.multiplier.address },
    dataDir,
    stop: async (keepData) => {
      await system.killAll();
      if (!keepData) await removeTempDir(dataDir);
    },
  };
}
