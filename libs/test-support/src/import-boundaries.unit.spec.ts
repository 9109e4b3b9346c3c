import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from './spawned-app';

/** The lint rule that keeps projects apart: a relative import into another project's folder fails `npm test`. */
describe('the import-boundary lint rule', () => {
  // The real CLI with the repository's config, as `npm test` runs it (ESLint's
  // API loads the .mjs config with a dynamic import jest cannot run).
  const lint = async (file: string, code: string): Promise<string[]> => {
    const result = spawnSync(join(workspaceRoot, 'node_modules/.bin/eslint'), ['--format', 'json', '--stdin', '--stdin-filename', file], {
      cwd: workspaceRoot,
      input: code,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
    return (report?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
  };

  it('fails on a relative import that reaches into another project', async () => {
    const messages = await lint(
      'apps/adder/src/boundary-fixture.ts',
      "import { spawnEventLog } from '../../../libs/reducer-runtime/src/testing';\nexport const used = spawnEventLog;\n",
    );
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-imports: .*@hello-es\/\* entry point/)]);
  });

  it('fails from a deeper folder too, and for tools reaching into an app', async () => {
    const messages = await lint(
      'tools/reliability/src/faults/boundary-fixture.ts',
      "import { FileLogStore } from '../../../../apps/eventlog/src/store/file/file-log-store';\nexport const used = FileLogStore;\n",
    );
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-imports:/)]);
  });

  it('allows entry points and relative imports inside a project', async () => {
    const messages = await lint(
      'apps/eventlog/src/store/file/boundary-fixture.ts',
      "import { CorruptLog } from '../../errors';\nimport { spawnEventLog } from '@hello-es/reducer-runtime/testing';\nexport const used = [CorruptLog, spawnEventLog];\n",
    );
    expect(messages).toEqual([]);
  });
});
