import { Metadata, status, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { EventLogServiceService, type GetLogInfoResponse, type SubscribeRequest, type SubscribeResponse } from '@hello-es/contracts';
import { startGrpcServer, type RunningGrpcServer } from '@hello-es/grpc-server';
import { createLogger } from '@hello-es/process';

/** What one Subscribe call of the scripted log sends, then how it ends. */
export interface SessionScript {
  readonly messages: readonly SubscribeResponse[];
  /** 'hold': keep the stream open; otherwise end it with this status. */
  readonly then: 'hold' | { readonly code: status; readonly details: string };
}

/**
 * A test-only EventLogService whose Subscribe calls play scripts in order,
 * so tests can produce what a correct log never sends (a gap) or is hard to
 * time (an error right after `started`). Calls beyond the scripts hold.
 */
export class ScriptedEventLog {
  readonly requests: SubscribeRequest[] = [];
  /** What GetLogInfo answers as the head (the scripts' messages do not change it). */
  head = 0n;
  private readonly open = new Set<ServerWritableStream<SubscribeRequest, SubscribeResponse>>();

  private constructor(
    private readonly server: RunningGrpcServer,
    private readonly scripts: SessionScript[],
  ) {}

  static async start(scripts: SessionScript[]): Promise<ScriptedEventLog> {
    // The handler needs the instance, which needs the started server.
    const holder: { log?: ScriptedEventLog } = {};
    const implementation: UntypedServiceImplementation = {
      subscribe: (call: ServerWritableStream<SubscribeRequest, SubscribeResponse>) => holder.log?.onSubscribe(call),
      getLogInfo: (_call: ServerUnaryCall<unknown, GetLogInfoResponse>, callback: sendUnaryData<GetLogInfoResponse>) =>
        callback(null, { logId: 'scripted', nextOffset: holder.log?.head ?? 0n, storage: 'scripted', replicas: 0 }),
    };
    const server = await startGrpcServer({
      address: '127.0.0.1:0',
      logger: createLogger('scripted-event-log', 'silent'),
      services: [{ name: 'eventlog.v1.EventLogService', definition: EventLogServiceService, implementation }],
      shutdownGraceMs: 100,
    });
    holder.log = new ScriptedEventLog(server, scripts);
    return holder.log;
  }

  get address(): string {
    return this.server.address;
  }

  /** Sends more messages on the calls that hold. */
  push(...messages: SubscribeResponse[]): void {
    for (const call of this.open) for (const message of messages) call.write(message);
  }

  async stop(): Promise<void> {
    for (const call of this.open) call.destroy();
    await this.server.shutdown();
  }

  private onSubscribe(call: ServerWritableStream<SubscribeRequest, SubscribeResponse>): void {
    this.requests.push(call.request);
    const script = this.scripts.shift() ?? { messages: [], then: 'hold' };
    for (const message of script.messages) call.write(message);
    if (script.then === 'hold') {
      this.open.add(call);
      call.on('cancelled', () => this.open.delete(call));
      return;
    }
    call.emit('error', { code: script.then.code, details: script.then.details, metadata: new Metadata() });
  }
}

export function started(logId: string, nextOffset: bigint): SubscribeResponse {
  return { kind: { $case: 'started', value: { logId, nextOffset } } };
}

export function batch(firstOffset: bigint, values: readonly bigint[]): SubscribeResponse {
  const events = values.map((value, i) => ({ offset: firstOffset + BigInt(i), value, appendTime: new Date() }));
  return { kind: { $case: 'events', value: { events } } };
}

export function caughtUp(nextOffset: bigint): SubscribeResponse {
  return { kind: { $case: 'caughtUp', value: { nextOffset } } };
}
