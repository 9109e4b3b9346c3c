// What kind of work a profiled function is, from its name and source file:
// the categories the benchmark's per-hop CPU breakdown adds up.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** In the order the report lists them when shares tie. */
export const CATEGORIES = [
  'grpc-js/http2 transport',
  'protobuf encode/decode',
  'our code',
  'bigint arithmetic',
  'GC',
  'logging/metrics',
  'file I/O',
  'node streams/events/ticks',
  'native (program)',
  'node runtime',
  'idle',
] as const;

export type Category = (typeof CATEGORIES)[number];

const TRANSPORT = [/@grpc\/grpc-js\//, /node:(internal\/)?(http2|net|tls|dns)\b/, /node:internal\/(http2|stream_base_commons|js_stream_socket)/];
/** Node's stream, event and tick machinery, which grpc-js's calls run on. */
const STREAMS = [/^node:(internal\/)?(streams?|events)\b/, /^node:internal\/(process\/task_queues|fixed_queue|async_hooks|timers)/, /^node:(async_hooks|timers)$/];
/** Generated and library codecs, and our hand-written wire codecs (kept apart from "our code" on purpose: it is the same work). */
const PROTOBUF = [
  /@grpc\/proto-loader\//,
  /\/protobufjs\//,
  /@bufbuild\//,
  /\/long\//,
  /\/generated\//,
  /\.pb\.ts$/,
  /(wire-varint|append-stream-wire|wire-reader|subscribe-decoder|event-encoding|append-stream-codec|append-request-decoder|record-format|record-codec)\.ts$/,
];
/** The folds: the reducers' apply steps and the benchmark's own expected fold. */
const BIGINT = [/apps\/adder\/src\/adder\.ts$/, /apps\/multiplier\/src\/multiplier\.ts$/, /state\/apply-batch\.ts$/, /tools\/bench\/src\/values\.ts$/];
const LOGGING = [/\/prom-client\//, /\/pino\//, /\/sonic-boom\//, /\/thread-stream\//, /\/metrics\//, /metrics[^/]*\.ts$/, /libs\/process\/src\/logger/];
const OURS = [/\/(apps|libs|tools)\/[^]*\.ts$/, /\/dist\/apps\//];

/** The category of a function, given its (original, when known) source. */
export function categoryOf(functionName: string, source: string): Category {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'native (program)';
  if (source === '') return /^BigInt|asIntN|asUintN/.test(functionName) ? 'bigint arithmetic' : 'node runtime';
  if (TRANSPORT.some((re) => re.test(source))) return 'grpc-js/http2 transport';
  if (/^node:(internal\/)?fs\b/.test(source)) return 'file I/O';
  if (STREAMS.some((re) => re.test(source))) return 'node streams/events/ticks';
  if (source.includes('node_modules')) {
    if (PROTOBUF.some((re) => re.test(source))) return 'protobuf encode/decode';
    if (LOGGING.some((re) => re.test(source))) return 'logging/metrics';
    return 'node runtime';
  }
  if (PROTOBUF.some((re) => re.test(source))) return 'protobuf encode/decode';
  if (BIGINT.some((re) => re.test(source))) return 'bigint arithmetic';
  if (LOGGING.some((re) => re.test(source))) return 'logging/metrics';
  if (OURS.some((re) => re.test(source))) return 'our code';
  return 'node runtime';
}

/**
 * Maps a frame of a bundled app (dist/apps/NAME/main.js, built with a
 * source map) back to its original source file, so a bundle's frames can
 * be told apart (the generated code, our wire codecs, the rest of ours).
 */
export class SourceResolver {
  private readonly maps = new Map<string, SourceMap | undefined>();

  originalSource(url: string, line: number, column: number): string | undefined {
    if (!url.endsWith('.js') || !url.includes('/dist/')) return undefined;
    const map = this.mapOf(url);
    if (!map) return undefined;
    const entry = map.findEntry(line, column) as { originalSource?: string };
    return entry.originalSource;
  }

  private mapOf(url: string): SourceMap | undefined {
    if (this.maps.has(url)) return this.maps.get(url);
    let map: SourceMap | undefined;
    try {
      const path = url.startsWith('file:') ? fileURLToPath(url) : url;
      map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
    } catch {
      map = undefined;
    }
    this.maps.set(url, map);
    return map;
  }
}
