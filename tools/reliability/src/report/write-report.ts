import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workspaceRoot } from '@hello-es/test-support';
import { renderMarkdown } from './render-markdown';
import { violationsOf, type SuiteSummary } from './summary';

export const REPORT_DIR = join(workspaceRoot, 'reports', 'reliability');

/**
 * Writes reports/reliability/latest.md and latest.json, and the same as
 * quick.* or full.* (jetstream-quick.*, jetstream-full.* for the JetStream
 * mode), so a CI run of the quick mode does not overwrite the full mode's
 * figures, overwriting the previous run's; returns the Markdown. A run of
 * some scenarios only (`--only`) writes latest.* alone: full.* is the
 * committed record of a whole run.
 */
export async function writeReport(summary: SuiteSummary, options: { readonly dir?: string; readonly partial?: boolean } = {}): Promise<string> {
  const dir = options.dir ?? REPORT_DIR;
  const markdown = renderMarkdown(summary);
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify({ ...summary, passed: violationsOf(summary).length === 0, violations: violationsOf(summary) }, null, 2)}\n`;
  const byMode = summary.storage === 'jetstream' ? `jetstream-${summary.mode}` : summary.mode;
  for (const name of options.partial ? ['latest'] : ['latest', byMode]) {
    await writeFile(join(dir, `${name}.md`), markdown);
    await writeFile(join(dir, `${name}.json`), json);
  }
  return markdown;
}
