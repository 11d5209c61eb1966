/**
 * Linear scans of SpreadsheetML text: every character is looked at a bounded number of times, whatever the
 * input. A scan never re-reads what it has passed: the streaming splitter resumes where the previous chunk
 * stopped (it carries only the few characters that may start a tag the chunk cut), and every regular
 * expression stops at the next `<`, so a failed match cannot run to the end of the text once per candidate.
 *
 * The structure is checked as it is read: an element left open at the end of its part, an element opened
 * again before it was closed (`<si><t>a</t><si>…</si>`), a closing tag that closes nothing, a tag without
 * its `>`, and text holding markup all throw {@link Malformed}, which the reader reports as a damaged file.
 * That is stricter than the old regular expressions, which read such a file in part or not at all.
 */

export type Fault = 'unclosed' | 'nested' | 'stray' | 'tag' | 'markup' | 'size';

/** A structural fault; `name` is the element concerned, `attrs` its open tag's attributes when known. */
export class Malformed extends Error {
  constructor(
    readonly fault: Fault,
    readonly element: string,
    readonly attrs?: string,
    /** Found at the end of the part (the part ends inside the element). */
    readonly atEnd = false,
  ) {
    super(`${fault} <${element}>`);
  }
}

export interface Element {
  name: string;
  /** The open tag's attributes (between the name and `>` or `/>`). */
  attrs: string;
  /** undefined for a self-closing element. */
  inner: string | undefined;
}

/** An element found in complete text, with where it begins and ends. */
export interface Located extends Element {
  start: number;
  end: number;
}

/**
 * A namespace prefix (`<x:row>`, as some generators write them). Bounded, so that the streaming splitter
 * knows how many characters at a chunk's end may still become a tag.
 */
const PREFIX = '(?:[A-Za-z_][\\w.-]{0,63}:)?';
const PREFIX_MAX = 65;

/**
 * Tags named `names` (an alternation): 1 the slash of a closing tag, 2 the name, 3 the attributes up to the
 * next `<` or `>`, 4 the `>` when the tag has one before the next `<`. `[^<>]*` cannot run past a `<`, so the
 * scan is linear even when tags are broken.
 */
function tagPattern(names: string): RegExp {
  return new RegExp(`<(/?)${PREFIX}(${names})(?=[\\s/>])([^<>]*)(>?)`, 'g');
}
const patterns = new Map<string, RegExp>();
function tags(names: string): RegExp {
  let re = patterns.get(names);
  if (!re) patterns.set(names, (re = tagPattern(names)));
  return re;
}

const BLANK = /^\s*$/;

/**
 * The elements named `names` in `xml` (complete text), in order, at most `limit`. Between an element's open
 * and close tags no element of those names may open. Other text and elements are passed over.
 */
export function elementsIn(xml: string, names: string, limit = Infinity): Located[] {
  const out: Located[] = [];
  const from = names.indexOf('|') < 0 ? plainElements(xml, names, limit, out) : 0;
  if (from >= 0) strictElements(xml, names, limit, out, from);
  return out;
}

interface Needles {
  name: string;
  open: string;
  close: string;
  slash: string;
  colon: string;
}
const needleCache = new Map<string, Needles>();
function needles(name: string): Needles {
  let n = needleCache.get(name);
  if (!n) needleCache.set(name, (n = { name, open: `<${name}`, close: `</${name}>`, slash: `/${name}`, colon: `:${name}` }));
  return n;
}
/** Could `s` hold a tag of that name (`<c`, `</c`, `<x:c`)? Then the strict scan decides. */
const mayHoldTag = (s: string, n: Needles) => s.indexOf(n.name) >= 0 && (s.indexOf(n.open) >= 0 || s.indexOf(n.slash) >= 0 || s.indexOf(n.colon) >= 0);

/**
 * The usual case, fast: unprefixed elements closed by the next `</name>`, nothing of that name in their
 * content or between them. Returns -1 when done, else where the strict scan must take over (it reads the
 * element or gap again once, so the whole stays linear).
 */
function plainElements(xml: string, name: string, limit: number, out: Located[]): number {
  const nd = needles(name);
  const n = xml.length;
  let prev = 0;
  let from = 0;
  while (out.length < limit) {
    const at = xml.indexOf(nd.open, from);
    if (at < 0) return prev < n && mayHoldTag(xml.slice(prev), nd) ? prev : -1;
    const after = at + nd.open.length;
    // `<color` when looking for `<c`: another element, part of the gap
    if (after < n && !isNameEnd(xml.charCodeAt(after))) {
      from = after;
      continue;
    }
    if (at > prev && mayHoldTag(xml.slice(prev, at), nd)) return prev;
    let e = after;
    let c = 0;
    while (e < n && (c = xml.charCodeAt(e)) !== 62 && c !== 60) e++;
    if (e >= n || c !== 62) return at;
    if (xml.charCodeAt(e - 1) === 47) {
      prev = from = e + 1;
      out.push({ name, attrs: xml.slice(after, e - 1), inner: undefined, start: at, end: prev });
      continue;
    }
    const end = xml.indexOf(nd.close, e + 1);
    if (end < 0) return at;
    const inner = xml.slice(e + 1, end);
    if (mayHoldTag(inner, nd)) return at;
    prev = from = end + nd.close.length;
    out.push({ name, attrs: xml.slice(after, e), inner, start: at, end: prev });
  }
  return -1;
}

function strictElements(xml: string, names: string, limit: number, out: Located[], from: number): void {
  const re = tags(names);
  re.lastIndex = from;
  while (out.length < limit) {
    const m = re.exec(xml);
    if (!m) break;
    const name = m[2]!;
    const attrs = m[3]!;
    if (!m[4]) throw new Malformed('tag', name, m[1] ? undefined : attrs);
    if (m[1]) throw new Malformed('stray', name);
    if (attrs.endsWith('/')) {
      out.push({ name, attrs: attrs.slice(0, -1), inner: undefined, start: m.index, end: re.lastIndex });
      continue;
    }
    const start = re.lastIndex;
    const c = re.exec(xml);
    if (!c) throw new Malformed('unclosed', name, attrs);
    if (!c[1]) throw new Malformed('nested', name, attrs);
    if (c[2] !== name || !c[4] || !BLANK.test(c[3]!)) throw new Malformed('tag', c[2]!);
    out.push({ name, attrs, inner: xml.slice(start, c.index), start: m.index, end: re.lastIndex });
  }
}

/** The first element named `name` in `xml`, if any (checked as in {@link elementsIn}). */
export function firstIn(xml: string, name: string): Located | undefined {
  return elementsIn(xml, name, 1)[0];
}

/** The text of a text-only element (`<t>`, `<v>`): markup in it means the file is damaged. */
export function textOf(e: Element): string {
  if (e.inner === undefined) return '';
  if (e.inner.indexOf('<') >= 0) throw new Malformed('markup', e.name, e.attrs);
  return e.inner;
}

const enum State {
  /** Between elements: looking for an open tag. */
  Out,
  /** In an open tag whose `>` has not come yet. */
  Open,
  /** In an element's content: looking for its closing tag. */
  Inside,
  /** In a closing tag whose `>` has not come yet. */
  Close,
}

const ANGLE = /[<>]/g;
const CLOSE_REST = /\s*(>?)/y;

const isNameChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameEnd = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 47 || c === 62;

/**
 * Finds the tags of some names in one chunk: the same tags as {@link tagPattern}, found by looking for the
 * names with indexOf (remembering where each occurs next, so no stretch is searched twice) and checking the
 * few characters around them. Several times faster than the pattern on a sheet, where most `<` are cells.
 */
class TagFinder {
  index = 0;
  closing = false;
  name = '';
  attrs = '';
  /** The tag has its `>` (else the attributes ran to the next `<` or to the chunk's end). */
  whole = false;
  end = 0;
  private readonly names: string[];
  private readonly next: number[];
  private w = '';

  constructor(names: string) {
    this.names = names.split('|');
    this.next = this.names.map(() => -2);
  }

  reset(w: string): void {
    this.w = w;
    this.next.fill(-2);
  }

  /** The next tag at or after `from`; false if none is complete enough to be told in this chunk. */
  find(from: number): boolean {
    const w = this.w;
    const names = this.names;
    for (;;) {
      let at = -1;
      let k = 0;
      for (let j = 0; j < names.length; j++) {
        let i = this.next[j]!;
        // -1: no more in this chunk; -2: not looked for yet
        if (i !== -1 && i < from) this.next[j] = i = w.indexOf(names[j]!, from);
        if (i >= 0 && (at < 0 || i < at)) {
          at = i;
          k = j;
        }
      }
      if (at < 0) return false;
      const name = names[k]!;
      const after = at + name.length;
      from = at + 1;
      if (after >= w.length || !isNameEnd(w.charCodeAt(after))) continue;
      let b = at - 1;
      if (w.charCodeAt(b) === 58) {
        let p = b - 1;
        const stop = Math.max(0, b - 64);
        while (p >= stop && isNameChar(w.charCodeAt(p))) p--;
        if (p === b - 1 || !isNameStart(w.charCodeAt(p + 1))) continue;
        b = p;
      }
      const closing = w.charCodeAt(b) === 47;
      if (closing) b--;
      if (b < 0 || w.charCodeAt(b) !== 60) continue;
      // the attributes run to the next `>`, or to a `<` or the chunk's end (a broken or a cut tag)
      const n = w.length;
      let e = after;
      let c = 0;
      while (e < n && (c = w.charCodeAt(e)) !== 62 && c !== 60) e++;
      this.index = b;
      this.closing = closing;
      this.name = name;
      this.attrs = e === after ? '' : w.slice(after, e);
      this.whole = e < n && c === 62;
      this.end = this.whole ? e + 1 : e;
      return true;
    }
  }
}

/**
 * Splits a part, arriving in chunks, into its elements named `names` (`si`, `row`, `row|mergeCell`), each
 * whole; text between them is dropped, except the part's last characters for its end check ({@link end}).
 *
 * Linear: each chunk is scanned once from where the previous scan stopped. Only the characters after the
 * chunk's last `<` that may still become a tag of those names (at most `<` `/` prefix name) are carried into
 * the next scan. An element within one chunk is sliced out of it; one cut by chunks is kept as the list of
 * its pieces and joined once, when it closes. An element longer than `maxChars` (its open tag included) is
 * refused, which bounds memory too.
 */
export class ElementSplitter {
  /** Elements begun so far (the one in progress included). */
  count = 0;
  private readonly tags: TagFinder;
  private readonly holdMax: number;
  private readonly keep: Set<string>;
  private readonly keepAll: boolean;
  private state = State.Out;
  private hold = '';
  /** The element in progress: its name, whether its content is kept, its attributes so far. */
  private name = '';
  private keeping = true;
  private attrs = '';
  /** Its content before the current chunk (pieces, joined when it closes), and the length so far. */
  private pieces: string[] | undefined;
  private size = 0;
  private tail = '';

  /**
   * `keep`: the names whose content is kept (all by default); the others are checked the same way but come
   * out with empty content, so a pass that only needs some elements stores none of the rest.
   */
  constructor(
    names: string,
    private readonly maxChars: number,
    keep?: string[],
  ) {
    this.keep = new Set(keep ?? names.split('|'));
    this.keepAll = keep === undefined;
    this.tags = new TagFinder(names);
    this.holdMax = 2 + PREFIX_MAX + Math.max(...names.split('|').map((n) => n.length)) + 1;
  }

  /** Scans the next chunk; elements completed in it are appended to `out`. */
  push(chunk: string, out: Element[]): void {
    this.keepTail(chunk);
    const w = this.hold ? this.hold + chunk : chunk;
    this.hold = '';
    const n = w.length;
    const tag = this.tags;
    tag.reset(w);
    let pos = 0;
    while (pos < n) {
      if (this.state === State.Out || this.state === State.Inside) {
        if (!tag.find(pos)) {
          // The characters after the last `<` may begin a tag the chunk cut: scanned again with the next one.
          const lt = w.lastIndexOf('<');
          const keep = lt >= pos && n - lt < this.holdMax ? lt : n;
          if (this.state === State.Inside) this.piece(w, pos, keep);
          this.hold = w.slice(keep);
          return;
        }
        const { closing, whole, end } = tag;
        if (!whole && end < n) throw new Malformed('tag', tag.name, closing ? undefined : tag.attrs);
        if (this.state === State.Out) {
          if (closing) throw new Malformed('stray', tag.name);
          this.count++;
          this.name = tag.name;
          this.keeping = this.keepAll || this.keep.has(this.name);
          this.pieces = undefined;
          this.size = 0;
          this.attrs = '';
          this.attributes(tag.attrs);
          pos = end;
          if (whole) this.opened(out);
          else this.state = State.Open;
        } else {
          if (!closing) throw new Malformed('nested', this.name, this.attrs);
          if (tag.name !== this.name || (tag.attrs && !BLANK.test(tag.attrs))) throw new Malformed('tag', tag.name);
          const inner = this.content(w, pos, tag.index);
          pos = end;
          if (whole) this.closed(out, inner);
          else {
            this.pieces = [inner];
            this.state = State.Close;
          }
        }
      } else if (this.state === State.Open) {
        ANGLE.lastIndex = pos;
        const m = ANGLE.exec(w);
        if (!m) {
          this.attributes(w.slice(pos));
          return;
        }
        if (m[0] === '<') throw new Malformed('tag', this.name, this.attrs);
        this.attributes(w.slice(pos, m.index));
        pos = m.index + 1;
        this.opened(out);
      } else {
        CLOSE_REST.lastIndex = pos;
        const m = CLOSE_REST.exec(w)!;
        pos = CLOSE_REST.lastIndex;
        if (m[1]) this.closed(out, this.pieces![0]!);
        else if (pos < n) throw new Malformed('tag', this.name);
      }
    }
  }

  /** The part has ended: throws if an element is still open; returns the part's last characters. */
  end(): string {
    if (this.state !== State.Out) throw new Malformed('unclosed', this.name, this.state === State.Open ? undefined : this.attrs, true);
    return this.tail;
  }

  private attributes(s: string): void {
    if (!s) return;
    this.grow(s.length, undefined);
    this.attrs += s;
  }

  private opened(out: Element[]): void {
    if (this.attrs.endsWith('/')) {
      out.push({ name: this.name, attrs: this.attrs.slice(0, -1), inner: undefined });
      this.state = State.Out;
    } else this.state = State.Inside;
  }

  /** The chunk has ended inside the element: its content from `from` to `to` is kept as a piece. */
  private piece(w: string, from: number, to: number): void {
    this.grow(to - from, this.attrs);
    if (this.keeping && to > from) (this.pieces ??= []).push(w.slice(from, to));
  }

  /** The closing tag is at `to`: the element's whole content (its pieces and this chunk's part). */
  private content(w: string, from: number, to: number): string {
    this.grow(to - from, this.attrs);
    if (!this.keeping) return '';
    const last = w.slice(from, to);
    if (!this.pieces) return last;
    this.pieces.push(last);
    return this.pieces.join('');
  }

  private closed(out: Element[], inner: string): void {
    out.push({ name: this.name, attrs: this.attrs, inner });
    this.pieces = undefined;
    this.state = State.Out;
  }

  private grow(by: number, attrs: string | undefined): void {
    this.size += by;
    if (this.size > this.maxChars) throw new Malformed('size', this.name, attrs);
  }

  /**
   * The part's last 4,096 or more characters, kept in amortised constant time per chunk; a blank chunk
   * counts as one space (a part may end with any amount of blank, which the end check skips).
   */
  private keepTail(chunk: string): void {
    if (chunk.length > 64 && !/\S/.test(chunk)) chunk = ' ';
    if (chunk.length >= 4096) this.tail = chunk;
    else {
      this.tail += chunk;
      if (this.tail.length > 8192) this.tail = this.tail.slice(-4096);
    }
  }
}
