// Lint rules that keep the doors thin: the engine and the contract never touch Electron, and
// the renderer reaches the engine only through its bridge module.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noElectron = {
  paths: [{ name: 'electron', message: 'The engine and src-shared run under plain Node: no Electron here.' }],
  patterns: [{ group: ['electron/*', '**/electron/*'], message: 'No Electron code outside src-main/electron.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-main/engine/**', 'src-main/cli/**', 'src-main/serve/**', 'src-shared/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...noElectron, patterns: [...noElectron.patterns, { group: ['node:*'], message: 'src-shared is plain data: no Node modules.' }] },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the engine through src-renderer/src/bridge.ts only.' }],
          patterns: [{ group: ['**/src-main/**', 'node:*'], message: 'The renderer cannot reach the engine or Node directly.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'ipcRenderer', message: 'Use the bridge (window.shelfmap) instead.' },
        { name: 'fetch', message: 'Only src-renderer/src/bridge.ts talks to a door.' },
        { name: 'EventSource', message: 'Only src-renderer/src/bridge.ts talks to a door.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'require', message: 'No Node in the renderer.' },
        { object: 'window', property: 'shelfmap', message: 'Only src-renderer/src/bridge.ts talks to a door.' },
        { object: 'window', property: 'fetch', message: 'Only src-renderer/src/bridge.ts talks to a door.' },
      ],
    },
  },
  {
    // the one module that talks to a door
    files: ['src-renderer/src/bridge.ts', 'src-renderer/src/bridge.test.ts'],
    rules: { 'no-restricted-globals': 'off', 'no-restricted-properties': 'off' },
  },
);
