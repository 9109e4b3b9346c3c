import { Metadata, status } from '@grpc/grpc-js';
import type { CallContext } from '@hello-es/grpc-server';
import { StartupGate } from './startup-gate';

const callWith = (signal: AbortSignal): CallContext => ({
  path: '/eventlog.v1.EventLogService/Append',
  service: 'eventlog.v1.EventLogService',
  method: 'Append',
  kind: 'unary',
  metadata: new Metadata(),
  peer: 'test',
  signal,
  end: () => undefined,
});

describe('StartupGate', () => {
  it('holds a call made while the log is recovering and lets it through once the log is open', async () => {
    const gate = new StartupGate();
    const handled: string[] = [];
    const call = gate.intercept(callWith(new AbortController().signal), async () => {
      handled.push('handled');
    });
    await Promise.resolve();
    expect(handled).toEqual([]);
    gate.open();
    await call;
    expect(handled).toEqual(['handled']);
  });

  it('ends held and later calls with UNAVAILABLE when the start fails, without running the handler', async () => {
    const gate = new StartupGate();
    const next = jest.fn(async () => undefined);
    const held = gate.intercept(callWith(new AbortController().signal), next);
    gate.fail();
    await expect(held).rejects.toMatchObject({ code: status.UNAVAILABLE });
    await expect(gate.intercept(callWith(new AbortController().signal), next)).rejects.toMatchObject({ code: status.UNAVAILABLE });
    expect(next).not.toHaveBeenCalled();
  });

  it('lets a held call go when the caller cancels it', async () => {
    const gate = new StartupGate();
    const cancel = new AbortController();
    const held = gate.intercept(callWith(cancel.signal), async () => undefined);
    cancel.abort();
    await expect(held).rejects.toMatchObject({ code: status.CANCELLED });
  });
});
