/** ISO dates (YYYY-MM-DD) and report periods (YYYY-MM, YYYYQn, YYYY), as plain strings; one reader for each. */
import { UsageError } from '../errors.js';
import { normaliseText, quote } from './text.js';

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Parses a date typed by a person (2024-3-5, 2024/03/05, 2024.3.5, 2024年3月5日, 2024年3月5号), also with the
 * time of day an office suite shows for a date-time cell kept as text (2024/03/05 00:00:00); undefined if not
 * a date. Eight digits alone (20240305) are refused: in a cell they are as likely a number as a date.
 */
export function parseDate(input: string): string | undefined {
  const s = normaliseText(input)
    .trim()
    .replace(/\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/, '')
    .replace(/[/.]/g, '-')
    .replace(/^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/, '$1-$2-$3');
  const m = ISO.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

/** The value given to a date option (`--date`, `--meeting` …) as YYYY-MM-DD, or a usage error naming the option. */
export function dateOption(value: string, flag: string): string {
  const d = parseDate(value);
  if (!d) throw new UsageError(`${flag} 的值${quote(value)}不是有效日期，应为 YYYY-MM-DD`);
  return d;
}

/** Days from a to b (b − a), both ISO dates. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Excel serial day number (1900 date system) → ISO date. */
export function excelSerialToDate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return undefined;
  const ms = Math.round((serial - 25_569) * 86_400_000);
  return new Date(ms).toISOString().slice(0, 10);
}

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  /** The label: 2024-03, 2024Q1, 2024. */
  label: string;
  start: string;
  end: string;
}

export function monthPeriod(y: number, m: number): Period {
  return { kind: 'month', label: `${y}-${pad(m)}`, start: `${y}-${pad(m)}-01`, end: `${y}-${pad(m)}-${pad(daysInMonth(y, m))}` };
}

export function quarterPeriod(y: number, q: number): Period {
  const m0 = (q - 1) * 3 + 1;
  return { kind: 'quarter', label: `${y}Q${q}`, start: `${y}-${pad(m0)}-01`, end: `${y}-${pad(m0 + 2)}-${pad(daysInMonth(y, m0 + 2))}` };
}

export function yearPeriod(y: number): Period {
  return { kind: 'year', label: String(y), start: `${y}-01-01`, end: `${y}-12-31` };
}

const CN_DIGIT: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 1: 1, 2: 2, 3: 3, 4: 4 };

/**
 * Reads a period as people write it: months 2024-03, 2024-3, 2024/03, 2024.03, 2024年3月, 202403; quarters
 * 2024Q1, 2024-Q1, 2024 Q1, 2024年第一季度, 2024年1季度; years 2024, 2024年. Undefined if it is not one.
 */
export function readPeriod(input: string, kind: PeriodKind): Period | undefined {
  const s = normaliseText(input).toUpperCase().replace(/\s+/g, '');
  let m: RegExpExecArray | null;
  if (kind === 'month') {
    m = /^(\d{4})(?:[-/.]|年)(\d{1,2})月?$/.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s);
    const month = Number(m?.[2]);
    return m && month >= 1 && month <= 12 ? monthPeriod(Number(m[1]), month) : undefined;
  }
  if (kind === 'quarter') {
    m = /^(\d{4})[-/.]?Q([1-4])$/.exec(s) ?? /^(\d{4})年第?([一二三四1-4])季度?$/.exec(s);
    return m ? quarterPeriod(Number(m[1]), CN_DIGIT[m[2]!]!) : undefined;
  }
  m = /^(\d{4})年?$/.exec(s);
  return m ? yearPeriod(Number(m[1])) : undefined;
}

const FORMS: Record<PeriodKind, string> = {
  month: '月份，如 2024-03（也可写 2024/03、2024年3月、202403）',
  quarter: '季度，如 2024Q1（也可写 2024-Q1、2024年第一季度）',
  year: '年份，如 2024',
};

/** Parses a period of the wanted kind; throws a usage error naming the option and the accepted forms. */
export function parsePeriod(input: string, kind: PeriodKind, flag = '--period'): Period {
  const p = readPeriod(input, kind);
  if (p) return p;
  throw new UsageError(`${flag} 的值${quote(input)}不是${FORMS[kind]}`);
}

/** The period before the one containing `today`: the default of every report. */
export function previousPeriod(today: string, kind: PeriodKind): Period {
  const y = Number(today.slice(0, 4));
  const mo = Number(today.slice(5, 7));
  if (kind === 'month') return mo === 1 ? monthPeriod(y - 1, 12) : monthPeriod(y, mo - 1);
  if (kind === 'quarter') {
    const q = Math.floor((mo - 1) / 3) + 1;
    return q === 1 ? quarterPeriod(y - 1, 4) : quarterPeriod(y, q - 1);
  }
  return yearPeriod(y - 1);
}

/** A month (2024-03) as an official document writes it: 2024年3月. */
export function monthInWords(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

/** A period as an official document writes it: 2024年3月, 2024年第一季度, 2024年度. */
export function periodInWords(p: Period): string {
  const y = p.label.slice(0, 4);
  if (p.kind === 'month') return monthInWords(p.label);
  if (p.kind === 'quarter') return `${y}年第${'一二三四'[Number(p.label.slice(5)) - 1]}季度`;
  return `${y}年度`;
}

/** An ISO date as an official document writes it: 2024年4月1日. */
export function dateInWords(iso: string): string {
  return `${iso.slice(0, 4)}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
}

/** A span of dates as an official document writes it: 2026年7月1日至9月30日 (the year once when it is the same). */
export function spanInWords(start: string, end: string): string {
  const to = start.slice(0, 4) === end.slice(0, 4) ? `${Number(end.slice(5, 7))}月${Number(end.slice(8, 10))}日` : dateInWords(end);
  return `${dateInWords(start)}至${to}`;
}
