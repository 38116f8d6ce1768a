// One runtime per folder: renderer/ is DOM-only (no Node, no src/ beyond the contract); src/ never
// touches Electron or the DOM; main/ is the only place Electron is imported.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-output/**', 'coverage/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/**/*.ts', 'main/**/*.ts', 'test/**/*.ts', 'scripts/**/*.{js,mjs,ts}', 'bin/**/*.mjs', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron'], patterns: ['react', 'react-dom', 'cornerstone-core', '**/renderer/**', '**/main/**'] },
      ],
    },
  },
  {
    files: ['src/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'electron', '../engine/**', '../io/**', '../kspace/**'] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'child_process', 'worker_threads', 'electron'],
              message: 'the renderer is DOM-only',
            },
            { regex: '^(\\.\\./)+src/(?!contract/)', message: 'the renderer reaches the engine only through src/contract' },
          ],
        },
      ],
    },
  },
);
