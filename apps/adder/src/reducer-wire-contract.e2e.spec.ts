import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { findFreePort, makeTempDir, removeTempDir, workspaceRoot, type SpawnedApp } from '@hello-es/test-support';
import { getState, spawnEventLog, spawnReducer } from '../../../libs/reducer-runtime/src/testing';

type GetStateMethod = (
  request: Record<string, unknown>,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null, response: unknown) => void,
) => void;

/** A client built at run time from proto/ only, as any other language's client would be. */
function protoLoaderGetState(address: string, request: Record<string, unknown>): Promise<unknown> {
  const definition = loadSync('reducer/v1/reducer.proto', {
    keepCase: true,
    longs: String,
    defaults: true,
    includeDirs: [join(workspaceRoot, 'proto')],
  });
  const loaded = loadPackageDefinition(definition) as unknown as {
    reducer: { v1: { ReducerService: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client } };
  };
  const client = new loaded.reducer.v1.ReducerService(address, credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const method = (client as unknown as { GetState: GetStateMethod }).GetState.bind(client);
    method(request, new Metadata(), { deadline: Date.now() + 20_000 }, (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(response);
    });
  });
}

describe('the reducer wire contract', () => {
  let dataDir: string;
  const apps: SpawnedApp[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    await removeTempDir(dataDir);
  });

  it('gives a proto-loader client built from proto/ the same GetState answer as the generated client', async () => {
    dataDir = await makeTempDir('reducer-wire-');
    const port = await findFreePort();
    apps.push(await spawnEventLog({ dataDir, port, seed: [-(2n ** 63n), -(2n ** 63n), 5n] }));
    const adder = await spawnReducer({ name: 'adder', eventLogPort: port, dataDir });
    apps.push(adder);
    const generated = await getState(adder.address, 3n);
    const loaded = await protoLoaderGetState(adder.address, { min_next_offset: '3' });
    expect(loaded).toEqual({
      state: {
        reducer: 'adder',
        value: '-18446744073709551611',
        next_offset: '3',
        log_id: generated.logId,
      },
    });
    expect(generated).toEqual({ reducer: 'adder', value: '-18446744073709551611', nextOffset: 3n, logId: generated.logId });
    expect(generated.logId).toMatch(/\S/);
  });
});
