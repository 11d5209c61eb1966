import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/data/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', performance: 'readonly', TextDecoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      // Chinese text in strings uses the ideographic space on purpose.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
    },
  },
  {
    // The engine stays behind the Store interface: its handle and driver are for src/store/ only.
    files: ['src/**/*.ts'],
    ignores: ['src/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'better-sqlite3', message: 'Use the Store (src/store/) instead of the SQLite driver.' },
            { name: 'pg', message: 'Use the Store (src/store/) instead of the PostgreSQL driver.' },
          ],
          patterns: [
            { group: ['**/store/sqlite.js'], importNames: ['sqliteOf', 'rawOf', 'engineError'], message: 'Internal to src/store/.' },
            { group: ['**/store/pg/*'], message: 'The PostgreSQL store is reached through src/store/ (db.ts, logins.ts, transfer.ts).' },
          ],
        },
      ],
    },
  },
  {
    // The readers only read: the pipeline that stages and writes a batch is src/domain/imports/run.ts.
    files: ['src/import/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'better-sqlite3', message: 'The readers know nothing of the store.' }],
          patterns: [{ group: ['**/store/*', '**/domain/*', '**/render/*', '**/commands/*'], message: 'The readers know nothing of the store, the rules or files to write.' }],
        },
      ],
    },
  },
);
