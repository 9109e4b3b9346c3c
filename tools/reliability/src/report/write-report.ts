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
 * figures, overwriting the previous run's; returns the Markdown.
 */
export async function writeReport(summary: SuiteSummary, dir = REPORT_DIR): Promise<string> {
  const markdown = renderMarkdown(summary);
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify({ ...summary, passed: violationsOf(summary).length === 0, violations: violationsOf(summary) }, null, 2)}\n`;
  for (const name of ['latest', summary.storage === 'jetstream' ? `jetstream-${summary.mode}` : summary.mode]) {
    await writeFile(join(dir, `${name}.md`), markdown);
    await writeFile(join(dir, `${name}.json`), json);
  }
  return markdown;
}
