import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { workspaceRoot } from './spawned-app';

interface FileResult {
  readonly name: string;
  readonly status: string;
  readonly message: string;
}

/**
 * The jest environment every project uses fails a test file that leaves a
 * server open after its last hook, instead of only warning. Both fixtures run
 * in one jest child (a jest start costs seconds).
 */
describe('the leak-checking test environment', () => {
  let results: FileResult[] = [];
  const resultOf = (fixture: string): FileResult | undefined => results.find((result) => result.name.endsWith(`${fixture}.fixture.ts`));

  beforeAll(() => {
    const config = {
      ...(createRequire(__filename)(join(workspaceRoot, 'jest.preset.cjs')) as Record<string, unknown>),
      rootDir: join(workspaceRoot, 'libs/test-support'),
      testMatch: ['<rootDir>/fixtures/leak-check/*.fixture.ts'],
    };
    const run = spawnSync(join(workspaceRoot, 'node_modules/.bin/jest'), ['--config', JSON.stringify(config), '--json', '--forceExit', '--ci'], {
      cwd: workspaceRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    results = (JSON.parse(run.stdout) as { testResults: FileResult[] }).testResults;
  }, 70_000);

  it('fails a file that leaves a gRPC server running, naming it', () => {
    const result = resultOf('leaves-a-server-open');
    expect(result?.status).toBe('failed');
    expect(result?.message).toMatch(/left open after the last test of this file[\s\S]*gRPC server 127\.0\.0\.1:\d+/);
  });

  it('passes a file that shuts its server down in afterAll', () => {
    const result = resultOf('closes-its-server');
    expect(result?.message).not.toContain('left open');
    expect(result?.status).toBe('passed');
  });
});
