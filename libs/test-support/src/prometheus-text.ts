import type { SpawnedApp } from './spawned-app';

/**
 * A parser for the Prometheus text exposition format (version 0.0.4), for
 * tests that scrape /metrics over HTTP and assert on what an operator's
 * Prometheus would see. Strict: a line it cannot read throws, so a malformed
 * exposition fails the test rather than passing with missing samples.
 */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ParsedMetrics {
  readonly samples: readonly MetricSample[];
  /** `# TYPE` per metric family: counter, gauge, histogram, summary, untyped. */
  readonly types: ReadonlyMap<string, string>;
  /** `# HELP` per metric family. */
  readonly help: ReadonlyMap<string, string>;
  /** The sum of every sample of `name` whose labels include `labels` (undefined: none matched). */
  value(name: string, labels?: Readonly<Record<string, string>>): number | undefined;
  /** The samples of `name` whose labels include `labels`. */
  find(name: string, labels?: Readonly<Record<string, string>>): MetricSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;

export function parsePrometheusText(text: string): ParsedMetrics {
  const samples: MetricSample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(line);
      if (meta?.[1] === 'TYPE') types.set(meta[2] as string, meta[3] as string);
      else if (meta?.[1] === 'HELP') help.set(meta[2] as string, meta[3] as string);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`line ${index + 1} is not a sample: ${line}`);
    samples.push({ name: match[1] as string, labels: parseLabels(match[3] ?? '', index + 1), value: parseValue(match[4] as string, index + 1) });
  }
  const find = (name: string, labels: Readonly<Record<string, string>> = {}): MetricSample[] =>
    samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  const value = (name: string, labels?: Readonly<Record<string, string>>): number | undefined => {
    const found = find(name, labels);
    return found.length === 0 ? undefined : found.reduce((sum, sample) => sum + sample.value, 0);
  };
  return { samples, types, help, value, find };
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const match = LABEL.exec(text);
    if (!match) throw new Error(`line ${line}: bad labels at "${text.slice(start)}"`);
    labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
  }
  return labels;
}

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  // prom-client writes "Nan" (a process metric before its first sample);
  // Prometheus parses the word case-insensitively, as Go's ParseFloat does.
  if (text.toLowerCase() === 'nan') return NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`line ${line}: bad value "${text}"`);
  return value;
}

/** GETs `http://ADDRESS/metrics` and parses it; rejects on a status other than 200 or after `timeoutMs`. */
export async function scrapeMetrics(address: string, timeoutMs = 5_000): Promise<ParsedMetrics> {
  const response = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${body}`);
  if (!(response.headers.get('content-type') ?? '').startsWith('text/plain')) {
    throw new Error(`GET /metrics answered content-type ${response.headers.get('content-type')}`);
  }
  return parsePrometheusText(body);
}

/** The "host:port" of a spawned app's /metrics, from its "serving metrics" log line (start it with <NAME>_METRICS_LISTEN=127.0.0.1:0). */
export function metricsAddressOf(app: SpawnedApp): string {
  for (const line of app.output) {
    if (!line.includes('"serving metrics"')) continue;
    const url = (JSON.parse(line) as { metrics?: string }).metrics ?? '';
    const match = /^http:\/\/(.+)\/metrics$/.exec(url);
    if (match) return match[1] as string;
  }
  throw new Error(`${app.name} logged no "serving metrics" line:\n${app.output.join('\n')}`);
}
