import { PageRegistry } from './page-registry';
import { PageWriter, sseMessage, type SseSink } from './page-writer';

/** A socket that accepts `room` writes, then reports full until drain() is called. */
class FakeSocket implements SseSink {
  readonly written: string[] = [];
  private onDrain: (() => void) | undefined;

  constructor(private room = Infinity) {}

  write(chunk: string): boolean {
    this.written.push(chunk);
    this.room -= 1;
    return this.room > 0;
  }

  once(_event: 'drain', listener: () => void): void {
    this.onDrain = listener;
  }

  drain(room = Infinity): void {
    this.room = room;
    const listener = this.onDrain;
    this.onDrain = undefined;
    listener?.();
  }
}

function parse(chunk: string): unknown {
  const data = /^event: update\ndata: (.*)\n\n$/s.exec(chunk);
  if (!data) throw new Error(`not an SSE update: ${chunk}`);
  return JSON.parse(data[1] ?? '');
}

describe('page writer', () => {
  it('writes each update as one SSE message while the socket keeps up', () => {
    const socket = new FakeSocket();
    const page = new PageWriter(socket);
    page.send({ log: { head: '5' } });
    page.send({ 'reducer:adder': { value: '6' } });
    expect(socket.written.map(parse)).toEqual([{ log: { head: '5' } }, { 'reducer:adder': { value: '6' } }]);
  });

  it('never writes ahead of a full socket, and sends the newest value per topic once it drains', () => {
    const socket = new FakeSocket(1);
    const page = new PageWriter(socket);
    page.send({ log: { head: '1' } });
    expect(page.isBackedUp).toBe(true);
    for (let head = 2; head <= 10_000; head++) page.send({ log: { head: String(head) }, server: { time: head } });
    page.send({ 'reducer:adder': { value: '42' } });
    expect(socket.written).toHaveLength(1);
    socket.drain();
    expect(socket.written).toHaveLength(2);
    expect(parse(socket.written[1] ?? '')).toEqual({ log: { head: '10000' }, server: { time: 10_000 }, 'reducer:adder': { value: '42' } });
    expect(page.isBackedUp).toBe(false);
  });

  it('writes nothing after close, even when the socket drains later', () => {
    const socket = new FakeSocket(1);
    const page = new PageWriter(socket);
    page.send({ a: 1 });
    page.send({ a: 2 });
    page.close();
    socket.drain();
    page.send({ a: 3 });
    expect(socket.written.map(parse)).toEqual([{ a: 1 }]);
  });
});

describe('page registry', () => {
  it('refuses a page beyond the limit and takes one again after a page left', () => {
    const pages = new PageRegistry(2);
    const first = pages.open(new FakeSocket());
    expect(pages.open(new FakeSocket())).toBeDefined();
    expect(pages.open(new FakeSocket())).toBeUndefined();
    pages.remove(first as PageWriter);
    expect(pages.open(new FakeSocket())).toBeDefined();
    expect(pages.size).toBe(2);
  });

  it('serialises a broadcast once and a slow page does not hold up the others', () => {
    const fast = new FakeSocket();
    const slow = new FakeSocket(1);
    const pages = new PageRegistry(10);
    pages.open(fast);
    pages.open(slow);
    pages.broadcast({ log: 1 });
    pages.broadcast({ log: 2 });
    pages.broadcast({ log: 3 });
    expect(fast.written).toEqual([sseMessage({ log: 1 }), sseMessage({ log: 2 }), sseMessage({ log: 3 })]);
    expect(slow.written).toEqual([sseMessage({ log: 1 })]);
    slow.drain();
    expect(slow.written).toEqual([sseMessage({ log: 1 }), sseMessage({ log: 3 })]);
  });
});
