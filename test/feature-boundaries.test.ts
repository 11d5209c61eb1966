/**
 * The feature folders of src/domain (docs/architecture.md): outside a folder only its index.js is imported, and
 * lint says so. Probe sources are linted as if they lay in the tree; each breaking one must fail.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function problems(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, path) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('feature boundaries', () => {
  it('a feature reaching into another feature fails lint', async () => {
    const p = await problems('src/domain/pool/probe.ts', "import { Directory } from '../core/directory.js';\nexport const x = Directory;\n");
    expect(p.join('\n')).toMatch(/layers\/features.*index\.js/);
  });

  it('a command, a renderer or the store reaching into a feature fails lint', async () => {
    for (const path of ['src/commands/probe.ts', 'src/render/probe.ts', 'src/store/probe.ts']) {
      const p = await problems(path, "import { checkUscc } from '../domain/core/ids.js';\nexport const x = checkUscc;\n");
      expect(p.join('\n'), path).toMatch(/layers\/features.*index\.js/);
    }
    const nested = await problems('src/commands/pool/probe.ts', "import { poolStatus } from '../../domain/pool/pool.js';\nexport const x = poolStatus;\n");
    expect(nested.join('\n')).toMatch(/layers\/features/);
  });

  it('a sibling inside a feature, another feature through its index, and the store pass', async () => {
    const p = await problems(
      'src/domain/pool/probe.ts',
      "import { poolStatus } from './pool.js';\nimport { Directory } from '../core/index.js';\nimport { todayOf } from '../../store/probe.js';\nexport const x = [poolStatus, Directory, todayOf];\n",
    );
    expect(p).toEqual([]);
    expect(await problems('src/commands/probe.ts', "import { Directory } from '../domain/core/index.js';\nexport const x = Directory;\n")).toEqual([]);
  });

  it('every module of src/domain lies in a feature folder that has an index.ts', () => {
    const domain = join(root, 'src/domain');
    for (const name of readdirSync(domain)) {
      expect(statSync(join(domain, name)).isDirectory(), `src/domain/${name} should be in a feature folder`).toBe(true);
      expect(readFileSync(join(domain, name, 'index.ts'), 'utf8')).toMatch(/export/);
    }
  });

  it('features depend on each other in one direction only (no circle between folders)', () => {
    const domain = join(root, 'src/domain');
    const deps = new Map<string, Set<string>>();
    for (const name of readdirSync(domain)) {
      const uses = new Set<string>();
      for (const file of readdirSync(join(domain, name))) {
        for (const m of readFileSync(join(domain, name, file), 'utf8').matchAll(/from '\.\.\/([a-z-]+)\/index\.js'/g)) uses.add(m[1]!);
      }
      deps.set(name, uses);
    }
    expect(deps.get('core')?.size, 'core depends on no feature').toBe(0);
    const circle = (from: string, path: string[]): string[] | undefined => {
      if (path.includes(from)) return [...path.slice(path.indexOf(from)), from];
      for (const to of deps.get(from) ?? []) {
        const c = circle(to, [...path, from]);
        if (c) return c;
      }
      return undefined;
    };
    for (const name of deps.keys()) expect(circle(name, [])?.join(' → '), `a circle through ${name}`).toBeUndefined();
  });

  it('an index.ts exports only what some module outside its folder imports', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));
    const sources = walk(join(root, 'src')).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    const names = (list: string) => list.split(',').map((n) => n.trim().replace(/^type\s+/, '')).filter(Boolean);
    const domain = join(root, 'src/domain');
    for (const folder of readdirSync(domain)) {
      const exported = [...readFileSync(join(domain, folder, 'index.ts'), 'utf8').matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) => names(m[1]!));
      const imported = new Set(
        sources
          .filter((s) => !s.file.startsWith(join(domain, folder) + '/'))
          .flatMap((s) => [...s.text.matchAll(new RegExp(`import (?:type )?\\{([^}]*)\\} from '[./]*(?:domain/)?${folder}/index\\.js'`, 'g'))].flatMap((m) => names(m[1]!))),
      );
      expect(exported.filter((n) => !imported.has(n)), `src/domain/${folder}/index.ts exports names nothing outside imports`).toEqual([]);
    }
  });
});

