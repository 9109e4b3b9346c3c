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
      'no-restricted-globals': ['error', { name: 'fdescribe', message: 'do not commit focused tests' }, { name: 'fit', message: 'do not commit focused tests' }],
    },
  },
);
