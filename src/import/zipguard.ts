/**
 * Checks an .xlsx (a zip) from its central directory before anything is decompressed: truncated files,
 * zip bombs (absurd declared sizes or ratios) and zips that hold no workbook are refused.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { DataError } from '../errors.js';

export const ZIP_LIMITS = {
  /** Total declared uncompressed size. */
  totalBytes: 2 * 1024 * 1024 * 1024,
  /** One entry's declared uncompressed size. */
  entryBytes: 1024 * 1024 * 1024,
  /** Compression ratio above which a large entry is treated as a bomb. */
  ratio: 200,
  /** Entries larger than this are checked for ratio. */
  ratioFloor: 16 * 1024 * 1024,
  entries: 10_000,
};

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated */
  method: number;
  compressed: number;
  uncompressed: number;
  /** Offset of the entry's local header. */
  offset: number;
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  const n = readSync(fd, buf, 0, len, pos);
  return buf.subarray(0, n);
}

/** Lists the entries of a zip from its central directory. Throws DataError if it is not a complete zip. */
export function listZip(path: string): ZipEntry[] {
  const name = basename(path);
  const broken = (why: string) => new DataError(`${name} 已损坏或不完整（${why}），请重新保存或重新下载后再导入`);
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLen = Math.min(size, 22 + 65_535);
    const tail = readAt(fd, size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw broken('找不到 zip 目录');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || count === 0xffff) {
      // ZIP64: the locator sits just before the EOCD record.
      const loc = eocd - 20;
      if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw broken('ZIP64 目录不完整');
      const z64 = readAt(fd, Number(tail.readBigUInt64LE(loc + 8)), 56);
      if (z64.length < 56 || z64.readUInt32LE(0) !== 0x06064b50) throw broken('ZIP64 目录不完整');
      count = Number(z64.readBigUInt64LE(32));
      cdSize = Number(z64.readBigUInt64LE(40));
      cdOffset = Number(z64.readBigUInt64LE(48));
    }
    if (count > ZIP_LIMITS.entries) throw new DataError(`${name} 含 ${count} 个压缩条目，不像正常的工作簿，已拒绝`);
    if (cdOffset + cdSize > size) throw broken('文件被截断');
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw broken('zip 目录损坏');
      const method = cd.readUInt16LE(p + 10);
      let compressed = cd.readUInt32LE(p + 20);
      let uncompressed = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const entryName = cd.toString('utf8', p + 46, p + 46 + nameLen);
      let offset = cd.readUInt32LE(p + 42);
      if (uncompressed === 0xffffffff || compressed === 0xffffffff || offset === 0xffffffff) {
        // ZIP64 extra field (id 1): uncompressed size, compressed size, offset, each present only if maxed out.
        let q = p + 46 + nameLen;
        const end = q + extraLen;
        while (q + 4 <= end) {
          const id = cd.readUInt16LE(q);
          const len = cd.readUInt16LE(q + 2);
          if (id === 1) {
            let r = q + 4;
            if (uncompressed === 0xffffffff) {
              uncompressed = Number(cd.readBigUInt64LE(r));
              r += 8;
            }
            if (compressed === 0xffffffff) {
              compressed = Number(cd.readBigUInt64LE(r));
              r += 8;
            }
            if (offset === 0xffffffff) offset = Number(cd.readBigUInt64LE(r));
            break;
          }
          q += 4 + len;
        }
      }
      entries.push({ name: entryName, method, compressed, uncompressed, offset });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** Refuses zip bombs and zips without a workbook; returns the entries. */
export function guardXlsx(path: string): ZipEntry[] {
  const name = basename(path);
  const entries = listZip(path);
  let total = 0;
  for (const e of entries) {
    total += e.uncompressed;
    const ratio = e.compressed > 0 ? e.uncompressed / e.compressed : e.uncompressed > 0 ? Infinity : 0;
    if (e.uncompressed > ZIP_LIMITS.entryBytes || (e.uncompressed > ZIP_LIMITS.ratioFloor && ratio > ZIP_LIMITS.ratio)) {
      throw new DataError(
        `${name} 中的 ${e.name} 解压后声明为 ${Math.round(e.uncompressed / 1048576)} MB（压缩比 ${Number.isFinite(ratio) ? Math.round(ratio) : '∞'}:1），疑似“压缩炸弹”，已拒绝，未解压`,
      );
    }
  }
  if (total > ZIP_LIMITS.totalBytes) {
    throw new DataError(`${name} 解压后共 ${Math.round(total / 1048576)} MB，超过上限，疑似“压缩炸弹”，已拒绝，未解压`);
  }
  for (const e of entries) {
    if (e.method !== 0 && e.method !== 8) throw new DataError(`${name} 使用了不支持的压缩方式（${e.name}），请用 Excel/WPS 重新保存为 .xlsx`);
  }
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) {
    throw new DataError(`${name} 是 zip 文件但不是 Excel 工作簿（缺少 xl/workbook.xml）：请提供 .xlsx`);
  }
  return entries;
}
