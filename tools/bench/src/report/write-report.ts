import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderMarkdown } from './markdown';
import type { BenchReport } from './report';

/**
 * Writes latest.md and latest.json into `dir`, and the same two under a
 * timestamped name so earlier runs stay comparable. Returns the paths.
 */
export async function writeReport(dir: string, report: BenchReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const markdown = renderMarkdown(report);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const files: [string, string][] = [
    [join(dir, 'latest.md'), markdown],
    [join(dir, 'latest.json'), json],
    [join(dir, `${stamp}-${report.mode}.md`), markdown],
    [join(dir, `${stamp}-${report.mode}.json`), json],
  ];
  for (const [path, content] of files) await writeFile(path, content);
  return files.map(([path]) => path);
}
