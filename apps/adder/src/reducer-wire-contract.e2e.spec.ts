import { callProtoLoaderUnary, createProtoLoaderClient, findFreePort, makeTempDir, removeTempDir, type SpawnedApp } from '@hello-es/test-support';
import { getState, spawnEventLog, spawnReducer } from '@hello-es/reducer-runtime/testing';

/** A client built at run time from proto/ only, as any other language's client would be. */
async function protoLoaderGetState(address: string, request: Record<string, unknown>): Promise<unknown> {
  const client = createProtoLoaderClient('reducer/v1/reducer.proto', 'reducer.v1.ReducerService', address);
  try {
    return await callProtoLoaderUnary(client, 'GetState', request);
  } finally {
    client.close();
  }
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
