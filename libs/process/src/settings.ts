/** One row of an app's settings table (`--help` and the README tables). */
export interface Setting {
  /** The environment variable, e.g. "EVENTLOG_LISTEN". */
  readonly variable: string;
  /** The default as a person would write it ("127.0.0.1:50051", "unset"). */
  readonly default: string;
  readonly meaning: string;
}

/** The settings every app reads through libs/process. */
export const processSettings: readonly Setting[] = [
  { variable: 'LOG_LEVEL', default: 'info', meaning: 'fatal, error, warn, info, debug (adds one access-log line per RPC), trace or silent' },
  { variable: 'LOG_FORMAT', default: 'pretty on a terminal (see LAUNCHER_TERMINAL), else json', meaning: 'json (one JSON object per line) or pretty (readable lines)' },
  { variable: 'EXIT_WITH_PARENT', default: 'false', meaning: 'true: stop when the launching process is gone (set by the nx serve targets)' },
  {
    variable: 'LAUNCHER_TERMINAL',
    default: 'false',
    meaning:
      "true (set by the nx serve targets): if the launcher runs on a terminal, logs default to pretty and the final 'stopped' line goes to that terminal (nx drops its apps' output after Ctrl-C)",
  },
];

/** The table as aligned plain text, for --help. */
export function formatSettingsTable(settings: readonly Setting[]): string {
  const rows = [{ variable: 'VARIABLE', default: 'DEFAULT', meaning: 'MEANING' }, ...settings];
  const variableWidth = Math.max(...rows.map((row) => row.variable.length));
  const defaultWidth = Math.max(...rows.map((row) => row.default.length));
  return rows.map((row) => `  ${row.variable.padEnd(variableWidth)}  ${row.default.padEnd(defaultWidth)}  ${row.meaning}`).join('\n');
}
