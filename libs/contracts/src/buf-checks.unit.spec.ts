/**
 * buf lint (STANDARD) and buf breaking guard the public API. The baseline
 * image `libs/contracts/api-baseline.binpb` is the last released contract:
 * an incompatible edit of proto/ fails here until it is deliberately
 * re-baselined with `npm run contracts:baseline`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const workspaceRoot = resolve(__dirname, '..', '..', '..');
const buf = join(workspaceRoot, 'node_modules', '.bin', 'buf');
const baseline = join(workspaceRoot, 'libs', 'contracts', 'api-baseline.binpb');

function runBuf(args: string[], cwd = workspaceRoot): { status: number | null; output: string } {
  const result = spawnSync(buf, args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('buf checks on proto/', () => {
  it('pass buf lint with the STANDARD rules', () => {
    expect(runBuf(['lint'])).toEqual({ status: 0, output: '' });
  });

  it('stay wire- and source-compatible with the released baseline', () => {
    expect(runBuf(['breaking', '--against', baseline])).toEqual({ status: 0, output: '' });
  });

  it('stay compatible with the last committed version of proto/', () => {
    const gitDir = spawnSync('git', ['rev-parse', '--verify', 'HEAD'], { cwd: workspaceRoot, encoding: 'utf8' });
    // Outside a git checkout (a source tarball) the baseline check above is the guard.
    const against = gitDir.status === 0 ? '.git#ref=HEAD,subdir=proto' : baseline;
    expect(runBuf(['breaking', 'proto', '--against', against])).toEqual({ status: 0, output: '' });
  });

  describe('on a copy with an incompatible change', () => {
    let copy: string;
    beforeAll(() => {
      copy = mkdtempSync(join(tmpdir(), 'proto-breaking-'));
      cpSync(join(workspaceRoot, 'proto'), join(copy, 'proto'), { recursive: true });
      cpSync(join(workspaceRoot, 'buf.yaml'), join(copy, 'buf.yaml'));
      const file = join(copy, 'proto', 'eventlog', 'v1', 'eventlog.proto');
      const renumbered = readFileSync(file, 'utf8').replace('uint64 first_offset = 1;', 'uint64 first_offset = 9;');
      writeFileSync(file, renumbered);
    });
    afterAll(() => rmSync(copy, { recursive: true, force: true }));

    it('fails buf breaking, naming the changed field', () => {
      const result = runBuf(['breaking', '--against', baseline], copy);
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/first_offset|AppendResponse/);
    });
  });

  it('keeps the baseline image readable by buf', () => {
    expect(() => execFileSync(buf, ['build', baseline, '-o', '-#format=json'], { stdio: 'pipe' })).not.toThrow();
  });
});
