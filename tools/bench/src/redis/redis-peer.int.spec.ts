import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { waitFor } from '@hello-es/test-support';
import { ExpectedFold } from '../values';
import { FoldingReader } from './folding-reader';
import { findRedisServer, REDIS_PACKAGE, redisArguments, startRedisServer } from './redis-server';
import { xaddWindow } from './xadd-window';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the Redis peer', () => {
  it('runs redis-server as the fair durable peer: AOF fsynced on every write, no snapshots, loopback only', () => {
    const args = redisArguments('/tmp/x', 6390).join(' ');
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--appendfsync always');
    expect(args).toContain('--dir /tmp/x');
    expect(args).toContain('--port 6390');
    expect(args).toContain('--bind 127.0.0.1');
    expect(redisArguments('/tmp/x', 6390)).toEqual(expect.arrayContaining(['--save', '']));
  });

  it('folds 64-in-flight XADDs exactly in two XREAD BLOCK readers, then kills the server group and removes its dir', async () => {
    // The benchmark skips a missing peer; its test needs it (installed with the project's Debian packages).
    const binary = findRedisServer();
    if (!binary) throw new Error(`redis-server not found: sudo apt-get install -y ${REDIS_PACKAGE}`);
    const server = await startRedisServer(binary);
    const connections = [0, 1, 2].map(() => new Redis({ host: server.host, port: server.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null }));
    const readers: FoldingReader[] = [];
    try {
      for (const connection of connections) await connection.connect();
      const config = (await connections[0]?.config('GET', 'appendfsync')) as string[];
      expect(config).toEqual(['appendfsync', 'always']);
      for (const connection of connections.slice(1)) {
        const reader = new FoldingReader(connection, 'test', 1_000);
        reader.start();
        readers.push(reader);
      }
      const expected = new ExpectedFold();
      const timeline = await xaddWindow(connections[0] as Redis, 'test', expected, { count: 500, window: 64 });
      const arrivals = await Promise.all(readers.map((reader) => reader.waitFor(500)));
      expect(expected.count).toBe(500);
      for (const reader of readers) {
        expect([reader.count, reader.sum, reader.product]).toEqual([500, expected.sum, expected.product]);
      }
      for (const at of arrivals) expect(at).toBeGreaterThanOrEqual(timeline.starts[499] as number);
    } finally {
      for (const reader of readers) await reader.stop();
      for (const connection of connections) connection.disconnect();
      await server.stop();
    }
    await waitFor(() => !alive(server.pid), { description: 'redis-server to be gone', timeoutMs: 5_000 });
    expect(existsSync(server.dir)).toBe(false);
  });
});
