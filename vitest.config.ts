import { defineConfig } from 'vitest/config';
import LongestFirst from './test/sequencer.js';

/**
 * Tests of the embedded file as such (file modes and locks, WAL, read-only media, restoring files, the
 * SQLite migrations from older files), of packaging and of the spreadsheet reader, and checks of the
 * source itself (lint, imports): SQLite only. Every other test file runs on both engines.
 */
const SQLITE_ONLY = [
  'test/cli-docs.test.ts',
  // The completion scripts and the certificate variable they clear: names are read from a file in the one process;
  // the server's second process is checked against a URL nothing listens on. Names from a server: test/bin.test.ts on both.
  'test/completion.test.ts',
  'test/db.test.ts',
  'test/import-graph.test.ts',
  'test/install.test.ts',
  'test/large-sheet.test.ts',
  'test/layers.test.ts',
  'test/migrate.test.ts',
  'test/migrate-history.test.ts',
  // The whole published-figures scenario (minutes of reports); test/pg-published.test.ts checks it on a server.
  'test/published.test.ts',
  // The pinned bytes of the published reports: made from a SQLite demo on either project, so checked once.
  'test/published-pins.test.ts',
  'test/resources.test.ts',
  'test/restore.test.ts',
  'test/store.test.ts',
  'test/staging-memory.test.ts',
  'test/sqlite-*.test.ts',
  // Printing through LibreOffice does not depend on the engine.
  'test/render.test.ts',
  // How Chromium shows and prints an HTML report depends only on the file's bytes; that the HTML holds each
  // engine's figures (its charts' tables equal the report's JSON) is checked on both by test/charts.test.ts.
  'test/browser.test.ts',
  // That a report's workbook and document come out the same bytes at any wall-clock time is the renderer's
  // doing: both writes read the same database, so the engine cannot make them differ. What each engine's
  // workbooks and documents hold is checked on both by test/reports.test.ts.
  'test/stable-files.test.ts',
];

/** Tests that need a server: the PostgreSQL project only. */
const PG_ONLY = ['test/pg-*.test.ts'];

export default defineConfig({
  test: {
    // Generous: on a loaded 2-core machine a test that takes 3 s idle can take ten times as long.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // The longest files start first, so that no long file is left to run alone at the end (test/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    // Test files share a worker's loaded modules (the CLI's import costs seconds per file); every test makes
    // its own sandbox, and nothing in the tests or the CLI keeps state between runs of main.
    isolate: false,
    // vitest's default is one worker fewer than the cores: one on a 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: PG_ONLY, globalSetup: ['test/global-setup.ts', 'test/fixtures-setup.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'pg',
          include: ['test/**/*.test.ts'],
          exclude: SQLITE_ONLY,
          globalSetup: ['test/global-setup.ts', 'test/pg-setup.ts'],
          env: { XYPZ_TEST_ENGINE: 'pg' },
        },
      },
    ],
  },
});
