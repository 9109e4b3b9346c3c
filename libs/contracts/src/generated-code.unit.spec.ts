/**
 * The generated code is committed; this proves it is what proto/ generates
 * today, so a contract edit without `npx nx run contracts:generate` fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const workspaceRoot = resolve(__dirname, '..', '..', '..');
const generatedPath = join('libs', 'contracts', 'src', 'generated');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('generated contracts', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'contracts-gen-'));
    execFileSync(process.execPath, [join(workspaceRoot, 'tools/scripts/generate-contracts.mjs'), '--out', outDir], {
      cwd: workspaceRoot,
      stdio: 'pipe',
    });
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('are up to date with proto/ (run `npx nx run contracts:generate` if this fails)', () => {
    const committedDir = join(workspaceRoot, generatedPath);
    const freshDir = join(outDir, generatedPath);
    const committed = filesUnder(committedDir).map((file) => relative(committedDir, file)).sort();
    const fresh = filesUnder(freshDir).map((file) => relative(freshDir, file)).sort();
    expect(committed).toEqual(fresh);
    for (const file of fresh) {
      expect({ file, text: readFileSync(join(committedDir, file), 'utf8') }).toEqual({
        file,
        text: readFileSync(join(freshDir, file), 'utf8'),
      });
    }
  });

  it('carry a DO NOT EDIT header in every file', () => {
    for (const file of filesUnder(join(workspaceRoot, generatedPath))) {
      expect(readFileSync(file, 'utf8').split('\n')[0]).toContain('DO NOT EDIT');
    }
  });
});
