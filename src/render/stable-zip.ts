/**
 * Workbooks and Word documents whose bytes depend only on their content. The libraries that write them stamp the
 * wall-clock time twice: into docProps/core.xml (created, modified) and into each zip entry's modification time.
 * `stableZip` rewrites a finished .xlsx or .docx with the document's own date instead: core.xml's created and
 * modified become that day at 00:00:00 UTC, and every entry carries that date at 00:00:00. Entries keep their
 * order, names, compression and attributes; the rest of the file is rebuilt from them (no extra fields, no
 * comment), so the same content on the same date gives the same bytes whenever it is written.
 */
import { promisify } from 'node:util';
import { crc32, deflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

const CORE = 'docProps/core.xml';

interface Entry {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  data: Buffer;
  size: number;
  versionMade: number;
  versionNeeded: number;
  external: number;
  time: number;
  day: number;
}

/** The DOS date and time of `date` (YYYY-MM-DD) at midnight. */
function dosStamp(date: string): { time: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return { time: 0, day: ((Math.max(1980, y) - 1980) << 9) | (mo << 5) | d };
}

function entriesOf(zip: Buffer): Entry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad zip central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    const compressed = zip.readUInt32LE(at + 20);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.push({
      versionMade: zip.readUInt16LE(at + 4),
      versionNeeded: zip.readUInt16LE(at + 6),
      // Bit 3 (sizes in a trailing data descriptor) is dropped: the sizes are written in the header here.
      flags: zip.readUInt16LE(at + 8) & ~0x0008,
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      size: zip.readUInt32LE(at + 24),
      external: zip.readUInt32LE(at + 38),
      time: zip.readUInt16LE(at + 12),
      day: zip.readUInt16LE(at + 14),
      name: Buffer.from(zip.subarray(at + 46, at + 46 + nameLength)),
      data: zip.subarray(start, start + compressed),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

/** core.xml with created and modified set to `date` at midnight UTC. */
export function stableCore(xml: string, date: string): string {
  const when = `${date}T00:00:00Z`;
  return xml.replace(/(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g, (_, open: string, _tag: string, close: string) => `${open}${when}${close}`);
}

/**
 * The fields a local header and a central directory header share, in the same order: version needed, flags,
 * method, time, date, crc-32, compressed size, size and the name's length, from `at` (4 in a local header, 6 in a
 * central one).
 */
function writeCommon(buf: Buffer, at: number, e: Entry): void {
  buf.writeUInt16LE(e.versionNeeded, at);
  buf.writeUInt16LE(e.flags, at + 2);
  buf.writeUInt16LE(e.method, at + 4);
  buf.writeUInt16LE(e.time, at + 6);
  buf.writeUInt16LE(e.day, at + 8);
  buf.writeUInt32LE(e.crc, at + 10);
  buf.writeUInt32LE(e.data.length, at + 14);
  buf.writeUInt32LE(e.size, at + 18);
  buf.writeUInt16LE(e.name.length, at + 22);
}

/** The zip `zip` (a .xlsx or .docx) with its dates set to `date` (YYYY-MM-DD); see above. */
export function stableZip(zip: Buffer, date: string): Buffer {
  return writeZip(entriesOf(zip).map((e) => dated(e, date)));
}

/** An entry dated `date` at midnight; core.xml's created and modified too. */
function dated(e: Entry, date: string): Entry {
  const { time, day } = dosStamp(date);
  if (e.name.toString('utf8') !== CORE) return { ...e, time, day };
  const text = Buffer.from(stableCore((e.method === 8 ? inflateRawSync(e.data) : e.data).toString('utf8'), date), 'utf8');
  return { ...e, time, day, method: 8, versionNeeded: Math.max(20, e.versionNeeded), crc: crc32(text), size: text.length, data: deflateRawSync(text, { level: 9 }) };
}

const deflating = promisify(deflateRaw);

/**
 * A workbook whose parts were stored uncompressed (exceljs told not to compress: its zip library compresses in
 * JavaScript, tens of milliseconds for each part however small) with each part deflated by Node's zlib, side
 * by side on libuv's threads (the PNG pictures too: their rows compress by another 15–35 %); with `date`, dated
 * as stableZip does. The same parts give the same bytes.
 */
export async function packZip(zip: Buffer, date?: string, amend?: (parts: ZipParts) => void): Promise<Buffer> {
  return packEntries(entriesOf(zip), date, amend);
}

/** A part of a workbook as its writer hands it over: text, bytes, or a folder (a name ending in /, no data). */
export interface Part {
  name: string;
  data: Buffer;
  folder?: boolean;
}

/**
 * Packs `parts` as packZip packs a workbook whose parts were stored: the same entries (version, flags and a folder's
 * attribute as exceljs's zip library writes them), deflated by Node's zlib; with `date`, dated as stableZip does.
 * Without a date each entry carries the time of writing (UTC, as that library stamps it).
 */
export async function packParts(parts: Part[], date?: string, amend?: (parts: ZipParts) => void): Promise<Buffer> {
  const now = new Date();
  const time = (now.getUTCHours() << 11) | (now.getUTCMinutes() << 5) | Math.floor(now.getUTCSeconds() / 2);
  const day = ((now.getUTCFullYear() - 1980) << 9) | ((now.getUTCMonth() + 1) << 5) | now.getUTCDate();
  const entries = parts.map((p): Entry => ({
    name: Buffer.from(p.name, 'utf8'),
    flags: 0,
    method: 0,
    crc: p.data.length ? crc32(p.data) : 0,
    data: p.data,
    size: p.data.length,
    versionMade: 20,
    versionNeeded: 10,
    external: p.folder ? 0x10 : 0,
    time,
    day,
  }));
  return packEntries(entries, date, amend);
}

async function packEntries(stored: Entry[], date?: string, amend?: (parts: ZipParts) => void): Promise<Buffer> {
  if (amend) amend(zipParts(stored));
  const entries = await Promise.all(
    stored.map(async (e) => {
      const packed = e.method !== 0 || e.size === 0 ? e : { ...e, method: 8, versionNeeded: Math.max(20, e.versionNeeded), flags: e.flags & ~0x0006, data: await deflating(e.data, { level: 6 }) };
      return date === undefined ? packed : dated(packed, date);
    }),
  );
  return writeZip(entries);
}

/** The parts of a zip being packed, to read and to change or add (added parts go at the end, stored until packed). */
export interface ZipParts {
  has(name: string): boolean;
  text(name: string): string | undefined;
  write(name: string, text: string): void;
}

function zipParts(entries: Entry[]): ZipParts {
  const find = (name: string) => entries.findIndex((e) => e.name.toString('utf8') === name);
  return {
    has: (name) => find(name) >= 0,
    text(name) {
      const e = entries[find(name)];
      return e && (e.method === 8 ? inflateRawSync(e.data) : e.data).toString('utf8');
    },
    write(name, text) {
      const data = Buffer.from(text, 'utf8');
      const i = find(name);
      const like = entries[i] ?? entries[0]!;
      const e: Entry = { ...like, name: Buffer.from(name, 'utf8'), flags: like.flags & ~0x0006, method: 0, crc: crc32(data), size: data.length, data, external: i >= 0 ? like.external : 0 };
      if (i >= 0) entries[i] = e;
      else entries.push(e);
    },
  };
}

/** The zip of `entries`, in their order, rebuilt from them (no extra fields, no comment). */
function writeZip(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeCommon(local, 4, e);
    local.writeUInt16LE(0, 28);
    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE(e.versionMade, 4);
    writeCommon(head, 6, e);
    head.writeUInt32LE(e.external, 38);
    head.writeUInt32LE(offset, 42);
    parts.push(local, e.name, e.data);
    central.push(head, e.name);
    offset += 30 + e.name.length + e.data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

