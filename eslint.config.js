import js from '@eslint/js';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';

/**
 * The layer rules of docs/layers.md. ESLint keeps only the last options given to one rule name for a file, so
 * two blocks both setting `no-restricted-imports` would replace each other, not add up. Each boundary below
 * therefore has its own rule name: ESLint's `no-restricted-imports`, extended to `import('…')` expressions and
 * `import('…')` types, which the original does not look at.
 */
const restricted = builtinRules.get('no-restricted-imports');
const boundary = {
  meta: restricted.meta,
  create(context) {
    const check = restricted.create(context);
    const dynamic = (node) => {
      if (node.source?.type === 'Literal' && typeof node.source.value === 'string') check.ImportDeclaration(node);
    };
    return { ...check, ImportExpression: dynamic, TSImportType: dynamic };
  },
};
const layers = { rules: Object.fromEntries(['engine', 'readers', 'kernel', 'store', 'domain', 'render', 'features'].map((n) => [n, boundary])) };

/** Import specifiers that reach into a layer, at any depth (`../store/db.js`, `../../render/output.js`). */
const into = (...dirs) => dirs.flatMap((d) => [`**/${d}`, `**/${d}/**`]);
/** The command line: the program, its context and the commands. */
const CLI = [...into('commands'), '**/cli.js', '**/context.js', '**/complete.js'];

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
  { files: ['src/**/*.ts'], plugins: { layers } },
  {
    // The engine stays behind the Store interface: its handle and driver are for src/store/ only.
    files: ['src/**/*.ts'],
    ignores: ['src/store/**'],
    rules: {
      'layers/engine': [
        'error',
        {
          paths: [
            { name: 'better-sqlite3', message: 'Use the Store (src/store/) instead of the SQLite driver.' },
            { name: 'pg', message: 'Use the Store (src/store/) instead of the PostgreSQL driver.' },
          ],
          patterns: [
            { group: ['**/store/sqlite.js'], importNames: ['sqliteOf', 'rawOf', 'engineError'], message: 'Internal to src/store/.' },
            { group: ['**/store/db.js', '**/store/engine.js'], importNames: ['sqliteOf', 'rawOf', 'registerRaw', 'registerEngine', 'engineOf'], message: 'Driver handles and the engine registry are internal to src/store/.' },
            { group: ['**/store/pg/*'], message: 'The PostgreSQL store is reached through src/store/ (db.ts, logins.ts, transfer.ts).' },
          ],
        },
      ],
    },
  },
  {
    // The readers only read: bytes in, rows and problems out (docs/layers.md). Only the kernel is theirs.
    files: ['src/import/**/*.ts'],
    rules: {
      'layers/readers': [
        'error',
        {
          paths: [
            { name: 'better-sqlite3', message: 'The readers know nothing of the store.' },
            { name: 'pg', message: 'The readers know nothing of the store.' },
          ],
          patterns: [{ group: [...into('store', 'domain', 'render'), ...CLI], message: 'The readers import nothing of the product but errors.ts and util/ (docs/layers.md).' }],
        },
      ],
    },
  },
  {
    // The kernel (errors.ts, util/) is used by every layer and uses none.
    files: ['src/util/**/*.ts', 'src/errors.ts'],
    rules: {
      'layers/kernel': ['error', { patterns: [{ group: [...into('store', 'domain', 'render', 'import'), ...CLI], message: 'errors.ts and util/ import nothing of the product (docs/layers.md).' }] }],
    },
  },
  {
    // The store keeps records; the rules that use them are above it.
    files: ['src/store/**/*.ts'],
    rules: {
      'layers/store': ['error', { patterns: [{ group: [...into('domain', 'render', 'import'), ...CLI], message: 'The store imports no domain, render, reader or command line (docs/layers.md).' }] }],
    },
  },
  {
    // The domain is the library: it returns data, and knows neither how it is shown nor the command line.
    files: ['src/domain/**/*.ts'],
    rules: {
      'layers/domain': ['error', { patterns: [{ group: [...into('render'), ...CLI], message: 'The domain imports neither render nor the command line (docs/layers.md).' }] }],
    },
  },
  {
    // Rendering shows what the domain returns; it does not query the store.
    files: ['src/render/**/*.ts'],
    rules: {
      'layers/render': ['error', { patterns: [{ group: [...into('store', 'commands'), '**/cli.js', '**/complete.js'], message: 'Render imports no store and no command (docs/layers.md).' }] }],
    },
  },
  {
    // Feature folders of src/domain (docs/architecture.md): outside a folder, only its index.js is imported.
    files: ['src/**/*.ts'],
    ignores: ['src/domain/**'],
    rules: {
      'layers/features': [
        'error',
        { patterns: [{ regex: '(^|/)domain/([^/]+\\.js$|[^/]+/(?!index\\.js$))', message: 'Import a feature of src/domain through its index.js (docs/architecture.md).' }] },
      ],
    },
  },
  {
    // Inside src/domain, one feature reaches another through its index.js too (`../core/index.js`).
    files: ['src/domain/**/*.ts'],
    rules: {
      'layers/features': [
        'error',
        { patterns: [{ regex: '^\\.\\./(?!\\.\\./)[^/]+/(?!index\\.js$)', message: 'Another feature is reached through its index.js only (docs/architecture.md).' }] },
      ],
    },
  },
);
