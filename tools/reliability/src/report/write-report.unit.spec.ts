import { readdirSync } from 'node:fs';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { newSummary } from './summary';
import { writeReport } from './write-report';

describe('writeReport', () => {
  let dir: string;
  beforeEach(async () => (dir = await makeTempDir('reliability-report-')));
  afterEach(async () => removeTempDir(dir));

  it('writes latest.* and the mode\'s own files for a whole run', async () => {
    await writeReport(newSummary('full', 7, 'jetstream'), { dir });
    expect(readdirSync(dir).sort()).toEqual(['jetstream-full.json', 'jetstream-full.md', 'latest.json', 'latest.md']);
  });

  it('writes only latest.* for a run of some scenarios, leaving the published full.* alone', async () => {
    await writeReport(newSummary('full', 7), { dir, partial: true });
    expect(readdirSync(dir).sort()).toEqual(['latest.json', 'latest.md']);
  });
});
