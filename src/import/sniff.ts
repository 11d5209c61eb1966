/**
 * What kind of file is this? Decided from the bytes, not only the name, so a renamed image or a truncated
 * download is refused with a reason before any parser sees it.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { DataError, NotFoundError } from '../errors.js';

export type SheetFormat = 'xlsx' | 'csv';

const MAGIC: [string, number[]][] = [
  ['PNG 图片', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG 图片', [0xff, 0xd8, 0xff]],
  ['GIF 图片', [0x47, 0x49, 0x46, 0x38]],
  ['PDF 文档', [0x25, 0x50, 0x44, 0x46]],
  ['RAR 压缩包', [0x52, 0x61, 0x72, 0x21]],
  ['7z 压缩包', [0x37, 0x7a, 0xbc, 0xaf]],
  ['gzip 压缩包', [0x1f, 0x8b]],
];

/** Largest input file accepted (bytes). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

export function sniffFormat(path: string): SheetFormat {
  const name = basename(path);
  if (!existsSync(path)) throw new NotFoundError(`找不到文件 ${path}`);
  const st = statSync(path);
  if (st.isDirectory()) throw new DataError(`${name} 是一个目录，不是电子表格文件`);
  if (st.size === 0) throw new DataError(`${name} 是空文件（0 字节），请检查是否保存完整`);
  if (st.size > MAX_FILE_BYTES) throw new DataError(`${name} 过大（${Math.round(st.size / 1048576)} MB，上限 512 MB）`);
  const head = Buffer.alloc(8);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  const ext = extname(path).toLowerCase();
  const starts = (sig: number[]) => sig.every((b, i) => head[i] === b);
  if (starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) || ext === '.xls' || ext === '.et') {
    throw new DataError(`${name} 是旧版 Excel/WPS 格式（.xls/.et），本程序不能读取：请在 Excel 或 WPS 中“另存为” .xlsx 后再导入`);
  }
  if (starts([0x50, 0x4b, 0x03, 0x04]) || starts([0x50, 0x4b, 0x05, 0x06])) {
    if (ext === '.csv' || ext === '.txt') throw new DataError(`${name} 的扩展名是 ${ext}，但内容是压缩文件（可能是改名的 .xlsx）：请改回 .xlsx`);
    return 'xlsx';
  }
  for (const [what, sig] of MAGIC) {
    if (starts(sig)) throw new DataError(`${name} 不是电子表格文件（内容是${what}）：请提供 .xlsx 或 .csv`);
  }
  if (ext === '.xlsx' || ext === '.xlsm') {
    throw new DataError(`${name} 不是有效的 .xlsx 文件（内容不是 Excel 工作簿，文件可能已损坏或被改名）`);
  }
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  throw new DataError(`${name}：不支持的文件类型${ext ? ` ${ext}` : ''}。请提供 .xlsx 或 .csv（.xls 请另存为 .xlsx）`);
}
