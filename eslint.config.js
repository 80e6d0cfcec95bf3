import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { folderLayersRule } from './eslint/folder-layers.js';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test/kube-harness/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JavaScript scripts run on Node: declare its globals (TypeScript files get them from @types/node).
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    // SPEC §2: the loaded config is the only source of settings; nothing below the entry point reads the
    // environment (main.ts hands `process.env` to the CLI, which passes it on explicitly).
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Take settings from the config or an injected env.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { local: { rules: { 'folder-layers': folderLayersRule } } },
    rules: { 'local/folder-layers': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
);
