import { randomUUID } from 'node:crypto';
import { ConfigError } from '@hello-es/process';
import {
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { JetStreamStorageConfig } from './jetstream-config';

const DESCRIPTION_PREFIX = 'hello-es event log ';
const LOG_ID = /^hello-es event log ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const STREAM_NOT_FOUND = 10_059;
const STREAM_NAME_IN_USE = 10_058;

/** The one subject the stream holds; derived from the stream's name so two logs never share one. */
export function subjectOf(stream: string): string {
  return `hello-es.events.${stream}`;
}

export interface OpenedStream {
  readonly logId: string;
  readonly replicas: number;
  readonly created: boolean;
}

/**
 * Finds the stream or creates it with settings that keep offsets dense, and
 * returns its log id (kept in the stream's description: stream metadata
 * needs 2.10). Throws ConfigError naming NATS_STREAM when an existing
 * stream's settings could drop, delete or rewrite messages.
 */
export async function openStream(jsm: JetStreamManager, config: JetStreamStorageConfig): Promise<OpenedStream> {
  const existing = await streamInfo(jsm, config.stream);
  if (existing) return checkStream(existing, config);
  try {
    const created = await jsm.streams.add({
      name: config.stream,
      description: `${DESCRIPTION_PREFIX}${randomUUID()}`,
      subjects: [subjectOf(config.stream)],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.New,
      max_msgs: -1,
      max_bytes: -1,
      max_age: 0,
      max_msgs_per_subject: -1,
      num_replicas: config.replicas,
      duplicate_window: nanos(config.dedupeWindowMs),
      deny_delete: true,
      deny_purge: true,
      allow_rollup_hdrs: false,
      // Direct get may answer from a replica that has not applied the latest write (docs/jetstream.md).
      allow_direct: false,
    });
    return { ...checkStream(created, config), created: true };
  } catch (error: unknown) {
    // Another gateway created it first: use theirs.
    if (error instanceof JetStreamApiError && error.code === STREAM_NAME_IN_USE) {
      const raced = await streamInfo(jsm, config.stream);
      if (raced) return checkStream(raced, config);
    }
    throw error;
  }
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (error: unknown) {
    if (error instanceof JetStreamApiError && error.code === STREAM_NOT_FOUND) return undefined;
    throw error;
  }
}

/** What in a stream's settings or state would break dense, immutable offsets; empty when none. */
export function densityProblems(info: StreamInfo, subject: string): string[] {
  const c = info.config;
  const problems: string[] = [];
  const unlimited = (value: number | undefined): boolean => value === undefined || value <= 0;
  if (c.storage !== StorageType.File) problems.push(`storage is ${c.storage} (must be file)`);
  if (c.retention !== RetentionPolicy.Limits) problems.push(`retention is ${c.retention} (must be limits)`);
  if (c.discard !== DiscardPolicy.New) problems.push(`discard is ${c.discard} (must be new)`);
  if (!unlimited(c.max_msgs)) problems.push(`max_msgs is ${c.max_msgs} (must be unlimited)`);
  if (!unlimited(c.max_bytes)) problems.push(`max_bytes is ${c.max_bytes} (must be unlimited)`);
  if (!unlimited(c.max_age)) problems.push(`max_age is ${c.max_age} (must be unlimited)`);
  if (!unlimited(c.max_msgs_per_subject)) problems.push(`max_msgs_per_subject is ${c.max_msgs_per_subject} (must be unlimited)`);
  if (c.deny_delete !== true) problems.push('deny_delete is false (must be true)');
  if (c.deny_purge !== true) problems.push('deny_purge is false (must be true)');
  if (c.allow_rollup_hdrs === true) problems.push('allow_rollup_hdrs is true (must be false)');
  if (c.sealed === true) problems.push('the stream is sealed');
  if (c.mirror !== undefined && c.mirror !== null) problems.push('the stream is a mirror');
  if ((c.sources ?? []).length > 0) problems.push('the stream has sources');
  if (c.subjects.length !== 1 || c.subjects[0] !== subject) {
    problems.push(`subjects are [${c.subjects.join(', ')}] (must be [${subject}])`);
  }
  if (!LOG_ID.test(c.description ?? '')) problems.push('its description holds no hello-es log id (not a stream this event log created)');
  if (info.state.messages > 0 && info.state.first_seq !== 1) {
    problems.push(`its first sequence is ${info.state.first_seq} (messages were removed)`);
  }
  if ((info.state.num_deleted ?? 0) > 0) problems.push(`${info.state.num_deleted} messages were deleted`);
  return problems;
}

function checkStream(info: StreamInfo, config: JetStreamStorageConfig): OpenedStream {
  const problems = densityProblems(info, subjectOf(config.stream));
  if (problems.length > 0) {
    throw new ConfigError(
      'NATS_STREAM',
      `names stream "${config.stream}" whose settings would break dense offsets: ${problems.join('; ')}`,
    );
  }
  const logId = LOG_ID.exec(info.config.description ?? '')?.[1] ?? '';
  return { logId, replicas: info.config.num_replicas, created: false };
}
