/**
 * The order test files start in (vitest.config.ts: sequence.sequencer). Two workers take the files one after
 * another; a long file that happens to start last leaves one worker alone at the end, and the run takes that
 * much longer. So each project's files start longest first (longest-processing-time scheduling), the
 * projects one after the other: a worker keeps its loaded modules only from one file of a project to the next
 * of the same project.
 *
 * How long a file takes: test/durations.json (seconds, measured on an idle 2-core CI run; refresh it after a
 * full `npm test` with `node scripts/test-durations.mjs`), else vitest's own record of the last run on this
 * machine, else a guess from the file's size. Only the order depends on these numbers, never a result.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const KNOWN: Record<string, number> = JSON.parse(readFileSync(new URL('./durations.json', import.meta.url), 'utf8'));

/** Seconds per kilobyte of test source, for a file neither list knows (most such files take 1–3 s). */
const SECONDS_PER_KB = 0.1;

/**
 * The project the run's files start in first: SQLite, whose files need nothing the PostgreSQL project's setup
 * builds, while that setup builds its template databases (test/pg-setup.ts).
 */
const PROJECTS = ['sqlite', 'pg'];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const seconds = (spec: TestSpecification): number => {
      const key = `${spec.project.name}:${relative(root, spec.moduleId).replaceAll('\\', '/')}`;
      const known = KNOWN[key];
      if (known !== undefined) return known;
      const last = this.ctx.cache.getFileTestResults(key);
      if (last) return last.duration / 1000;
      return ((this.ctx.cache.getFileStats(key)?.size ?? 0) / 1000) * SECONDS_PER_KB;
    };
    const rank = (spec: TestSpecification) => {
      const i = PROJECTS.indexOf(spec.project.name);
      return i < 0 ? PROJECTS.length : i;
    };
    const cost = new Map(files.map((f) => [f, seconds(f)]));
    return [...files].sort((a, b) => rank(a) - rank(b) || a.project.name.localeCompare(b.project.name) || cost.get(b)! - cost.get(a)!);
  }
}
