// One lint config for the whole tree; generated code is excluded.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/generated/**', 'dist/**', 'node_modules/**', 'reports/**', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only', message: 'do not commit .only' },
        { object: 'it', property: 'only', message: 'do not commit .only' },
        { object: 'test', property: 'only', message: 'do not commit .only' },
        { object: 'describe', property: 'skip', message: 'do not skip tests; fix them' },
        { object: 'it', property: 'skip', message: 'do not skip tests; fix them' },
        { object: 'test', property: 'skip', message: 'do not skip tests; fix them' },
      ],
      // A project reaches another only through its published entry points
      // (@hello-es/<lib>, @hello-es/eventlog/testing, @hello-es/reducer-runtime/testing),
      // never by a relative path into its folder (docs/architecture.md).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(apps|libs|tools|examples)/',
              message: 'import another project through its @hello-es/* entry point, not by a relative path into its folder',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fdescribe', message: 'do not commit focused tests' }, { name: 'fit', message: 'do not commit focused tests' }],
    },
  },
);
