/** Identifier rules (docs/formats.md): 统一社会信用代码, 居民身份证号, mobile numbers, e-mail. */
import { normaliseText } from '../../util/text.js';

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export type UsccCheck = { ok: true; code: string } | { ok: false; code: string; reason: string; badCheck?: boolean };

/** Weights 3^i mod 31, and each character's value: computed once (imports check tens of thousands of codes). */
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);
const USCC_VALUE = new Map([...USCC_CHARS].map((c, i) => [c, i]));

/** Normalises (full-width, lower case, spaces) and validates a unified social credit code. */
export function checkUscc(input: string): UsccCheck {
  const code = normaliseText(input).replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== 18) return { ok: false, code, reason: `统一社会信用代码应为 18 位，实为 ${code.length} 位` };
  for (const ch of code) {
    if (!USCC_VALUE.has(ch)) return { ok: false, code, reason: `统一社会信用代码含非法字符「${ch}」（不用 I、O、Z、S、V）` };
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_VALUE.get(code[i]!)! * USCC_WEIGHTS[i]!;
  const expected = USCC_CHARS[(31 - (sum % 31)) % 31]!;
  if (code[17] !== expected) {
    return { ok: false, code, reason: `统一社会信用代码校验位不符（应为 ${expected}）`, badCheck: true };
  }
  return { ok: true, code };
}

/** Builds a valid code from its first 17 characters (demo data, tests). */
export function withUsccCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * (3 ** i % 31);
  return first17 + USCC_CHARS[(31 - (sum % 31)) % 31];
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export type IdCheck = { ok: true; id: string } | { ok: false; reason: string };

/** 居民身份证号 (GB 11643): 17 digits + check character, and a real birth date. */
export function checkIdNumber(input: string): IdCheck {
  const id = normaliseText(input).replace(/\s/g, '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: `身份证号码应为 18 位（末位可为 X），实为「${id}」` };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, reason: '身份证号码中的出生日期无效' };
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  if (ID_CHECK[sum % 11] !== id[17]) return { ok: false, reason: `身份证号码校验位不符（应为 ${ID_CHECK[sum % 11]}）` };
  return { ok: true, id };
}

export function withIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return first17 + ID_CHECK[sum % 11];
}

/** Mobile number after stripping spaces, dashes and a +86/86 prefix; undefined if not a mainland mobile. */
export function normaliseMobile(input: string): string | undefined {
  let s = normaliseText(input).replace(/[\s\-()]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.startsWith('86') && s.length === 13) s = s.slice(2);
  return /^1[3-9]\d{9}$/.test(s) ? s : undefined;
}

export function validEmail(s: string): boolean {
  return /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(s) && s.length <= 100;
}

export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}

export function maskId(id: string): string {
  return id.length === 18 ? `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(14)}` : '****';
}
