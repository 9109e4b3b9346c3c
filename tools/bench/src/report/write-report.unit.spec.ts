import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { evaluateRows } from './evaluate';
import { Outcomes } from './outcomes';
import type { BenchReport } from './report';
import { writeReport } from './write-report';

describe('writeReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('bench-report-');
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('writes latest.md, latest.json and a timestamped copy of each', async () => {
    const outcomes = new Outcomes();
    outcomes.value('w3', 0.4);
    const report: BenchReport = {
      startedAt: '2026-01-02T03:04:05.678Z',
      wallTimeSeconds: 1,
      mode: 'full',
      runs: 1,
      machine: { cores: 2, cpuModel: 'cpu', memoryGiB: 4, node: 'v20', platform: 'linux', commit: 'c0ffee' },
      sizes: {},
      rows: evaluateRows([{ workload: 'W3', label: 'restart', unit: 's', ours: 'w3' }], outcomes),
      references: [],
      notes: [],
    };
    await writeReport(dir, report);
    expect((await readdir(dir)).sort()).toEqual([
      '2026-01-02T03-04-05-678Z-full.json',
      '2026-01-02T03-04-05-678Z-full.md',
      'latest.json',
      'latest.md',
    ]);
    const json = JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8')) as BenchReport;
    expect(json.machine.commit).toBe('c0ffee');
    expect(json.rows[0]?.ours).toMatchObject({ status: 'ok', summary: { median: 0.4 } });
    expect(await readFile(join(dir, 'latest.md'), 'utf8')).toContain('| restart (s) | 0.400 |');
  });
});
