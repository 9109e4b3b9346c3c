/**
 * What an acknowledged append means on the NATS server a gateway found,
 * for its start log line (docs/jetstream.md "Durability, said honestly").
 *
 * - before 2.10 (2.9.10 here): the stream cannot fsync before acknowledging
 *   (`sync_interval` does not exist; data is fsynced in the background every
 *   60 s), so an ack means "in the page cache of a quorum of replicas";
 * - 2.10 and later: the same quorum, fsynced before the ack only when every
 *   server runs with `sync_interval: always` (the default syncs every 2 min).
 *
 * `version` is the server's as the connection saw it (`nc.info.version`);
 * an unreadable one is said to be unknown and treated as the weaker case.
 */
export function durabilityNote(version: string, replicas: number): string {
  const where = replicas > 1 ? `a quorum of ${replicas} replicas (${Math.floor(replicas / 2) + 1} of ${replicas})` : 'one server (R1: no replication)';
  const parsed = /^v?(\d+)\.(\d+)/.exec(version.trim());
  if (!parsed) {
    return `an acknowledged append is stored by ${where}; the NATS server version is unknown ("${version}"), so assume it is not fsynced before the ack`;
  }
  const [major, minor] = [Number(parsed[1]), Number(parsed[2])];
  if (major < 2 || (major === 2 && minor < 10)) {
    return `an acknowledged append is in the page cache of ${where}, not fsynced (NATS ${version} cannot fsync before acknowledging)`;
  }
  return `an acknowledged append is stored by ${where}; on NATS ${version} it is fsynced before the ack only if every server runs with sync_interval: always`;
}
