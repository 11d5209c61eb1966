/** Reads one part of a zip file (a .docx or .xlsx) as text, for tests that look at the XML. */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { listZip } from '../src/import/zipguard.js';

export function zipText(path: string, name: string): string {
  const e = listZip(path).find((x) => x.name === name);
  if (!e) throw new Error(`${path} has no ${name}`);
  const buf = readFileSync(path);
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  const data = buf.subarray(start, start + e.compressed);
  return (e.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}

export function zipNames(path: string): string[] {
  return listZip(path).map((e) => e.name);
}
