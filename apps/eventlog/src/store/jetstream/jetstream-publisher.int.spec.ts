import { JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsFixture } from '../../testing/nats-server';
import { JetStreamPublisher, NoResponders, PublisherClosed, PublishTimeout } from './jetstream-publisher';

// The publisher replaces js.publish on the append path: what it sends and
// how it reads the answers must mean what js.publish's do, on a real server.
let nats: NatsFixture;
let nc: NatsConnection;
let publisher: JetStreamPublisher;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  await (await jetstreamManager(nc)).streams.add({ name: 'PUBLISHER', subjects: ['publisher'] });
  publisher = new JetStreamPublisher(nc);
}, 30_000);
afterAll(async () => {
  await nc?.close();
  nats?.stop();
});

const options = (msgID: string, lastSequence: number, extra: { lastMsgID?: string; timeout?: number } = {}) => ({
  msgID,
  expect: { lastSequence, ...(extra.lastMsgID === undefined ? {} : { lastMsgID: extra.lastMsgID }) },
  headers: headers(),
  timeout: extra.timeout ?? 2_000,
});

it('resolves with the ack of each publish, 64 in flight, in sequence order; a repeated message id is a duplicate of the first', async () => {
  const acks = await Promise.all(Array.from({ length: 64 }, (_, i) => publisher.publish('publisher', new Uint8Array([i]), options(`m-${i}`, i, i === 0 ? {} : { lastMsgID: `m-${i - 1}` }))));
  expect(acks.map((ack) => ack.seq)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
  expect(acks.every((ack) => ack.stream === 'PUBLISHER' && !ack.duplicate)).toBe(true);
  const again = await publisher.publish('publisher', new Uint8Array([0]), options('m-0', 1_000));
  expect(again).toMatchObject({ seq: 1, duplicate: true });
  expect(publisher.inFlight).toBe(0);
});

it('rejects a refused expectation with the JetStreamApiError js.publish would throw (10071: wrong last sequence), storing nothing', async () => {
  const refused: unknown = await publisher.publish('publisher', new Uint8Array(1), options('stale', 3)).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(JetStreamApiError);
  expect((refused as JetStreamApiError).code).toBe(10_071);
  expect((refused as JetStreamApiError).message).toContain('wrong last sequence: 64');
  expect((await (await jetstreamManager(nc)).streams.info('PUBLISHER')).state.last_seq).toBe(64);
});

it('rejects with NoResponders when no stream takes the subject, and with PublishTimeout when no reply comes in time', async () => {
  await expect(publisher.publish('no-stream-here', new Uint8Array(1), options('x', 0))).rejects.toBeInstanceOf(NoResponders);
  // A plain subscriber that never answers stands in for a stream leader lost mid-request.
  const silent = nc.subscribe('silent');
  try {
    const started = Date.now();
    await expect(publisher.publish('silent', new Uint8Array(1), options('y', 0, { timeout: 100 }))).rejects.toBeInstanceOf(PublishTimeout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(publisher.inFlight).toBe(0);
  } finally {
    silent.unsubscribe();
  }
});

it('fails what is in flight with PublisherClosed on close, and refuses publishes after it', async () => {
  const own = await connect({ servers: nats.url });
  const closing = new JetStreamPublisher(own);
  own.subscribe('silent-2');
  const inFlight = closing.publish('silent-2', new Uint8Array(1), options('z', 0, { timeout: 30_000 }));
  await own.flush();
  await own.close();
  await expect(inFlight).rejects.toBeInstanceOf(PublisherClosed);
  await expect(closing.publish('publisher', new Uint8Array(1), options('w', 0))).rejects.toBeInstanceOf(PublisherClosed);
});
