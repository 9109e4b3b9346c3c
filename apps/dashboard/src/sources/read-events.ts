import type { EventLogServiceClient, Event, ReadResponse } from '@hello-es/contracts';
import type { EventView } from '../view-model';

/** Most events one Read of the dashboard asks for (a page of the history pager). */
export const MAX_READ_COUNT = 200;

export function eventView(event: Event): EventView {
  return { offset: event.offset.toString(), value: event.value.toString(), time: event.appendTime ? event.appendTime.toISOString() : '' };
}

/**
 * Reads `count` events from `fromOffset` with a deadline. Read seeks by
 * offset, so a page deep in a log of 10 million events costs the same as the
 * first. Rejects with the grpc-js ServiceError.
 */
export function readEvents(client: EventLogServiceClient, fromOffset: bigint, count: number, timeoutMs: number): Promise<EventView[]> {
  return new Promise((resolve, reject) => {
    const events: EventView[] = [];
    const call = client.read({ fromOffset, maxCount: BigInt(Math.min(count, MAX_READ_COUNT)) }, { deadline: Date.now() + timeoutMs });
    call.on('data', (response: ReadResponse) => {
      for (const event of response.events) if (events.length < count) events.push(eventView(event));
    });
    call.on('error', reject);
    call.on('end', () => resolve(events));
  });
}
