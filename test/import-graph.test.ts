/**
 * No import circles anywhere in src/ (docs/layers.md). The graph is read from the source with TypeScript's
 * parser and holds every kind of import: `import`, `import type`, `export … from`, `import('…')` loaded on
 * demand and `import('…')` in a type. A circle is named file by file in the failure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

type Graph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** The relative module specifiers a file imports, in any of the ways listed above. */
function specifiersOf(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found.filter((s) => s.startsWith('.'));
}

/** Files under `dir` → the files under `dir` they import (paths relative to `dir`, with `/`). */
function importGraph(dir: string): Graph {
  const files = sourceFiles(dir).map((f) => relative(dir, f).split(sep).join('/'));
  const known = new Set(files);
  return new Map(
    files.map((f) => {
      const targets = specifiersOf(join(dir, f)).map((s) => posix.normalize(posix.join(posix.dirname(f), s.replace(/\.js$/, '.ts'))));
      return [f, [...new Set(targets.filter((t) => known.has(t)))]];
    }),
  );
}

/** One circle per strongly connected group of files (Tarjan), each written as a path back to its start. */
function circlesOf(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || graph.get(v)?.includes(v)) groups.push(group);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return groups.map((group) => circleIn(graph, new Set(group)));
}

/** The shortest path from the group's first file (by name) back to itself, through the group. */
function circleIn(graph: Graph, group: Set<string>): string[] {
  const start = [...group].sort()[0]!;
  const before = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!group.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = before.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!before.has(w)) {
        before.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

describe('the import graph of src/', () => {
  const graph = importGraph(join(ROOT, 'src'));

  it('is read with every kind of import', () => {
    expect(graph.size).toBeGreaterThan(100);
    // Loaded on demand: the store opens its engines only when asked.
    expect(graph.get('store/db.ts')).toContain('store/sqlite.ts');
    expect(graph.get('store/db.ts')).toContain('store/pg/store.ts');
    // `import type`.
    expect(graph.get('store/engine.ts')).toContain('store/schema.ts');
  });

  it('has no circle', () => {
    const circles = circlesOf(graph).map((c) => c.join(' → '));
    expect(circles, `import circles:\n${circles.join('\n')}`).toEqual([]);
  });
});

/** The graph between groups of files (`groupOf` undefined: left out), without a group's edges to itself. */
function groupGraph(graph: Graph, groupOf: (file: string) => string | undefined): Graph {
  const out: Graph = new Map();
  for (const [file, targets] of graph) {
    const from = groupOf(file);
    if (from === undefined) continue;
    const to = new Set(out.get(from) ?? []);
    for (const t of targets) {
      const g = groupOf(t);
      if (g !== undefined && g !== from) to.add(g);
    }
    out.set(from, [...to].sort());
  }
  return out;
}

describe('the feature folders of src/domain (docs/architecture.md)', () => {
  const features = groupGraph(importGraph(join(ROOT, 'src')), (f) => /^domain\/([^/]+)\//.exec(f)?.[1]);

  it('are found', () => {
    expect([...features.keys()]).toEqual(expect.arrayContaining(['core', 'imports', 'service', 'collection', 'reporting']));
    expect(features.get('core')).toEqual([]);
  });

  it('depend on one another in one direction only', () => {
    const circles = circlesOf(features).map((c) => c.join(' → '));
    expect(circles, `circles between features:\n${circles.join('\n')}`).toEqual([]);
  });
});

describe('circlesOf', () => {
  it('names each circle as a path back to its start, and nothing else', () => {
    const g: Graph = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
      ['e', ['e']],
      ['f', ['g']],
      ['g', ['h']],
      ['h', []],
    ]);
    expect(circlesOf(g)).toEqual([['a', 'b', 'c', 'a'], ['e', 'e']]);
  });

  it('finds a circle between groups that no file closes by itself', () => {
    const g: Graph = new Map([
      ['domain/a/x.ts', ['domain/b/index.ts', 'domain/a/y.ts']],
      ['domain/a/index.ts', []],
      ['domain/a/y.ts', []],
      ['domain/b/index.ts', ['domain/b/z.ts']],
      ['domain/b/z.ts', ['domain/a/index.ts']],
      ['store/db.ts', []],
    ]);
    expect(circlesOf(g)).toEqual([]);
    const groups = groupGraph(g, (f) => /^domain\/([^/]+)\//.exec(f)?.[1]);
    expect(groups).toEqual(new Map([['a', ['b']], ['b', ['a']]]));
    expect(circlesOf(groups)).toEqual([['a', 'b', 'a']]);
  });

  it('finds a circle made by an import loaded on demand, a type import and a type naming a module', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xypz-graph-'));
    try {
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'a.ts'), "export const load = () => import('./sub/b.js');\n");
      writeFileSync(join(dir, 'sub', 'b.ts'), "import type { C } from '../c.js';\nexport type B = C;\n");
      writeFileSync(join(dir, 'c.ts'), "export type C = typeof import('./a.js').load;\n");
      writeFileSync(join(dir, 'd.ts'), "export { load } from './a.js';\n");
      expect(circlesOf(importGraph(dir))).toEqual([['a.ts', 'sub/b.ts', 'c.ts', 'a.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
