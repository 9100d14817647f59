import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.e2e/', '.bench/', 'test-output/', 'test/e2e/tools/', 'server/src/core/generated/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    // The engine is pure: strings and data in, plain objects out (ARCHITECTURE.md).
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'vscode',
            'vscode-languageserver',
            'vscode-languageserver/node',
            'vscode-languageclient',
            'fs',
            'node:fs',
            'path',
            'node:path',
            'child_process',
            'node:child_process',
            'fs/promises',
            'node:fs/promises',
          ],
          patterns: ['vscode-*', '../lsp/*', '../cli/*', '../../lsp/*', '../../cli/*'],
        },
      ],
    },
  },
);
