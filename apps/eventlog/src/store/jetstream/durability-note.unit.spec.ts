import { durabilityNote } from './durability-note';

describe('durabilityNote', () => {
  it('says a 2.9 server acknowledges without fsync, replicated to a quorum', () => {
    expect(durabilityNote('2.9.10', 3)).toBe(
      'an acknowledged append is in the page cache of a quorum of 3 replicas (2 of 3), not fsynced (NATS 2.9.10 cannot fsync before acknowledging)',
    );
  });

  it('says an R1 stream is not replicated', () => {
    expect(durabilityNote('2.9.10', 1)).toContain('one server (R1: no replication), not fsynced');
  });

  it('says 2.10 and later fsync before the ack only with sync_interval: always', () => {
    for (const version of ['2.10.0', '2.12.1', '3.0.0']) {
      const note = durabilityNote(version, 3);
      expect(note).toContain('stored by a quorum of 3 replicas');
      expect(note).toContain(`on NATS ${version} it is fsynced before the ack only if every server runs with sync_interval: always`);
    }
  });

  it('treats an unreadable version as not fsynced', () => {
    expect(durabilityNote('', 3)).toContain('the NATS server version is unknown (""), so assume it is not fsynced before the ack');
    expect(durabilityNote('2.9.10-beta', 3)).toContain('not fsynced (NATS 2.9.10-beta');
  });
});
