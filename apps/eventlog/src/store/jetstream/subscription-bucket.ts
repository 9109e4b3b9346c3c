import { randomUUID } from 'node:crypto';
import type { Logger } from '@hello-es/process';
import { DiscardPolicy, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { StorageUnavailable } from '../../errors';
import type { LocalSubscriptions, SharedSubscription, SubscriptionDirectory } from '../subscription-directory';
import { decodeGatewayEntry, encodeGatewayEntry } from './subscription-entry';

/** The KV bucket every gateway shares its open subscriptions in (a stream named KV_<bucket>, per the KV convention). */
export const SUBSCRIPTIONS_BUCKET = 'HELLO_ES_SUBSCRIPTIONS';
const BUCKET_STREAM = `KV_${SUBSCRIPTIONS_BUCKET}`;
/** An entry not refreshed for this long is gone: the bucket's max_age, and a filter on read. */
export const SUBSCRIPTION_TTL_MS = 5_000;
const REFRESH_MS = 1_000;
/** The most subscriptions one ListSubscriptions answer carries (about 1 MB). */
export const MAX_LISTED_SUBSCRIPTIONS = 10_000;
/** Bucket reads in flight per listing. */
const READ_CONCURRENCY = 8;
const STREAM_NOT_FOUND = 10_059;
const STREAM_NAME_IN_USE = 10_058;

export interface SubscriptionBucketOptions {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** The log's stream: keys are `<stream>.<gateway id>`, so logs sharing a NATS account do not mix. */
  readonly stream: string;
  /** The log stream's replicas: the bucket is as available as the log. */
  readonly replicas: number;
  readonly local: LocalSubscriptions;
  readonly logger: Logger;
  readonly refreshMs?: number;
}

/**
 * ListSubscriptions across gateways. Each gateway writes all its open
 * subscriptions (capped) under its own key every second; a gateway that
 * dies stops refreshing and its key expires with the bucket's max_age
 * (5 s). Listing reads the keys of this log through the stream leader (one
 * stream info with a subject filter, then one message get per gateway) and
 * puts this gateway's own live list in place of its key.
 *
 * Sharing is best effort: a failed refresh is logged once and retried on
 * the next tick; the log itself never waits on it.
 */
export class SubscriptionBucket implements SubscriptionDirectory {
  private readonly prefix: string;
  private readonly subject: string;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private bucket: Promise<void> | undefined;
  private failing = false;
  private stopped = false;

  constructor(private readonly options: SubscriptionBucketOptions) {
    this.prefix = `$KV.${SUBSCRIPTIONS_BUCKET}.${options.stream}.`;
    this.subject = `${this.prefix}${randomUUID()}`;
  }

  start(): void {
    this.timer = setInterval(() => this.refresh(), this.options.refreshMs ?? REFRESH_MS);
    this.timer.unref();
    this.refresh();
  }

  /** Stops refreshing and writes an empty list, so that the others stop listing ours at once (not only after the TTL). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.refreshing;
    if (this.bucket) await this.write([]).catch(() => undefined);
  }

  async list(): Promise<readonly SharedSubscription[]> {
    const own = this.options.local.list().map((entry) => ({ gateway: this.options.local.gateway, ...entry }));
    let info: StreamInfo;
    try {
      info = await this.options.jsm.streams.info(BUCKET_STREAM, { subjects_filter: `${this.prefix}*` });
    } catch (error: unknown) {
      // No gateway has shared anything yet: ours are all there is.
      if (error instanceof JetStreamApiError && error.code === STREAM_NOT_FOUND) return own;
      throw new StorageUnavailable("cannot read the other gateways' subscriptions", { cause: error });
    }
    const keys = Object.keys(info.state.subjects ?? {}).filter((subject) => subject !== this.subject);
    const others: SharedSubscription[] = [];
    for (let index = 0; index < keys.length && others.length < MAX_LISTED_SUBSCRIPTIONS; index += READ_CONCURRENCY) {
      const read = await Promise.all(keys.slice(index, index + READ_CONCURRENCY).map((key) => this.read(key)));
      for (const entries of read) others.push(...entries);
    }
    return [...own, ...others].sort((a, b) => a.since.getTime() - b.since.getTime()).slice(0, MAX_LISTED_SUBSCRIPTIONS);
  }

  /** One gateway's entries; none when it expired meanwhile, is older than the TTL (a bucket made without max_age) or unreadable. */
  private async read(subject: string): Promise<SharedSubscription[]> {
    try {
      const stored = await this.options.jsm.streams.getMessage(BUCKET_STREAM, { last_by_subj: subject });
      // null: the key expired between the stream info and this get.
      if (!stored || Date.now() - stored.time.getTime() > SUBSCRIPTION_TTL_MS) return [];
      return decodeGatewayEntry(stored.data) ?? [];
    } catch (error: unknown) {
      throw new StorageUnavailable("cannot read the other gateways' subscriptions", { cause: error });
    }
  }

  private refresh(): void {
    if (this.stopped || this.refreshing) return;
    this.refreshing = this.write(this.options.local.list())
      .then(
        () => {
          if (this.failing) this.options.logger.info('sharing this gateway\'s subscriptions again');
          this.failing = false;
        },
        (error: unknown) => {
          if (!this.failing) this.options.logger.warn({ err: error }, "cannot share this gateway's subscriptions (ListSubscriptions on other gateways will miss them); retrying every second");
          this.failing = true;
          this.bucket = undefined;
        },
      )
      .finally(() => {
        this.refreshing = undefined;
      });
  }

  private async write(subscriptions: Parameters<typeof encodeGatewayEntry>[1]): Promise<void> {
    this.bucket ??= this.ensureBucket();
    await this.bucket;
    await this.options.js.publish(this.subject, encodeGatewayEntry(this.options.local.gateway, subscriptions));
  }

  /** Creates the bucket as a KV bucket would be (`nats kv` reads it); one made by another gateway or by hand is used as it is. */
  private async ensureBucket(): Promise<void> {
    try {
      await this.options.jsm.streams.info(BUCKET_STREAM);
      return;
    } catch (error: unknown) {
      if (!(error instanceof JetStreamApiError && error.code === STREAM_NOT_FOUND)) throw error;
    }
    try {
      await this.options.jsm.streams.add({
        name: BUCKET_STREAM,
        description: 'hello-es: the open subscriptions of every event log gateway (docs/jetstream.md)',
        subjects: [`$KV.${SUBSCRIPTIONS_BUCKET}.>`],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.New,
        max_msgs_per_subject: 1,
        max_msgs: -1,
        max_bytes: -1,
        max_age: nanos(SUBSCRIPTION_TTL_MS),
        duplicate_window: nanos(SUBSCRIPTION_TTL_MS),
        num_replicas: this.options.replicas,
        allow_rollup_hdrs: true,
        deny_delete: true,
        allow_direct: true,
      });
    } catch (error: unknown) {
      if (!(error instanceof JetStreamApiError && error.code === STREAM_NAME_IN_USE)) throw error;
    }
  }
}
