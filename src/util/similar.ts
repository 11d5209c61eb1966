/** Closest known names for "did you mean" messages. */

export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

export interface Named {
  /** Shown in the suggestion. */
  name: string;
  /** Everything the entry may be called (name, code, aliases). */
  keys: string[];
}

/**
 * Up to `max` entries, nearest first. An entry matches when one of its keys contains the query (or the
 * reverse), or is within an edit distance of about a third of its length.
 */
export function closest(query: string, entries: Named[], max = 3): string[] {
  const q = query.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const e of entries) {
    let best = Infinity;
    for (const k of e.keys) {
      const key = k.toLowerCase();
      if (key === '' || q === '') continue;
      let s: number;
      if (key.includes(q) || q.includes(key)) s = Math.abs(Array.from(key).length - Array.from(q).length) * 0.1;
      else {
        const d = editDistance(q, key);
        const limit = Math.max(1, Math.ceil(Math.max(Array.from(q).length, Array.from(key).length) / 3));
        s = d <= limit ? d : Infinity;
      }
      best = Math.min(best, s);
    }
    if (best < Infinity) scored.push({ name: e.name, score: best });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name, 'zh'));
  return [...new Set(scored.map((s) => s.name))].slice(0, max);
}
