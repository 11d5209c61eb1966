/** The date helpers on their own: dates as people type them, Excel serials, report periods, day counts. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import {
  addDays,
  dateOption,
  daysBetween,
  daysInMonth,
  excelSerialToDate,
  monthPeriod,
  parseDate,
  parsePeriod,
  previousPeriod,
  quarterPeriod,
  spanInWords,
  yearPeriod,
} from '../src/util/dates.js';

describe('parseDate', () => {
  it('reads the forms people type', () => {
    for (const s of ['2024-03-05', '2024-3-5', '2024/03/05', '2024/3/5', '2024.3.5', '2024年3月5日', '2024年3月5', '2024年3月5号', ' 2024-03-05 ', '２０２４－０３－０５', '2024/03/05 00:00:00', '2024-3-5 14:30', '2024/3/5 9:05:07.250']) {
      expect(parseDate(s), s).toBe('2024-03-05');
    }
  });

  it('knows leap years: every 4th, not every 100th, every 400th', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect(parseDate('2000-02-29')).toBe('2000-02-29');
    expect(parseDate('2023-02-29')).toBeUndefined();
    expect(parseDate('1900-02-29')).toBeUndefined();
  });

  it('refuses days and months that do not exist, years out of range, and other text', () => {
    for (const s of ['2024-02-30', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '1899-12-31', '3000-01-01', '20240305', '2024-03', '3/5/2024', '明天', '', '2024-03-05 25', '2024-03-05T00:00', '00:00:00']) {
      expect(parseDate(s), s).toBeUndefined();
    }
  });
});

describe('dateOption (the check of every date option, src/commands/define.ts dateOpt)', () => {
  it('is the date when valid, a usage error naming the option and the value otherwise', () => {
    expect(dateOption('2024/6/1', '--date')).toBe('2024-06-01');
    expect(() => dateOption('2024-02-30', '--meeting')).toThrow(UsageError);
    expect(() => dateOption('2024-02-30', '--meeting')).toThrow('--meeting 的值「2024-02-30」不是有效日期，应为 YYYY-MM-DD');
  });
});

describe('excelSerialToDate', () => {
  it('converts 1900-system serials after the 1900 leap-year bug', () => {
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(25_569)).toBe('1970-01-01');
    expect(excelSerialToDate(44_927)).toBe('2023-01-01');
    expect(excelSerialToDate(45_000)).toBe('2023-03-15');
    expect(excelSerialToDate(45_351)).toBe('2024-02-29');
    expect(excelSerialToDate(45_352)).toBe('2024-03-01');
    expect(excelSerialToDate(2_958_465)).toBe('9999-12-31');
  });

  it('keeps the day of a date-time, to the last second', () => {
    expect(excelSerialToDate(45_000.75)).toBe('2023-03-15');
    expect(excelSerialToDate(45_000 + 86_399 / 86_400)).toBe('2023-03-15');
  });

  it('is undefined outside the range Excel can show', () => {
    for (const n of [0, -1, 0.5, 2_958_466, Number.NaN, Number.POSITIVE_INFINITY]) expect(excelSerialToDate(n), String(n)).toBeUndefined();
  });
});

describe('periods', () => {
  it('a month runs from its first to its last day, February by the leap year', () => {
    expect(monthPeriod(2024, 2)).toEqual({ kind: 'month', label: '2024-02', start: '2024-02-01', end: '2024-02-29' });
    expect(monthPeriod(2023, 2).end).toBe('2023-02-28');
    expect(monthPeriod(2024, 12)).toEqual({ kind: 'month', label: '2024-12', start: '2024-12-01', end: '2024-12-31' });
    expect(monthPeriod(2024, 4).end).toBe('2024-04-30');
  });

  it('quarters and years', () => {
    expect(quarterPeriod(2024, 1)).toEqual({ kind: 'quarter', label: '2024Q1', start: '2024-01-01', end: '2024-03-31' });
    expect(quarterPeriod(2024, 2)).toMatchObject({ start: '2024-04-01', end: '2024-06-30' });
    expect(quarterPeriod(2024, 3)).toMatchObject({ start: '2024-07-01', end: '2024-09-30' });
    expect(quarterPeriod(2024, 4)).toMatchObject({ start: '2024-10-01', end: '2024-12-31' });
    expect(yearPeriod(2024)).toEqual({ kind: 'year', label: '2024', start: '2024-01-01', end: '2024-12-31' });
  });

  it('parsePeriod reads each kind in its forms', () => {
    for (const s of ['2024-03', '2024-3', '202403', '２０２４-０３']) expect(parsePeriod(s, 'month').label, s).toBe('2024-03');
    for (const s of ['2024Q1', '2024q1', '2024-Q1']) expect(parsePeriod(s, 'quarter').label, s).toBe('2024Q1');
    expect(parsePeriod('2024', 'year')).toEqual(yearPeriod(2024));
  });

  it('parsePeriod refuses a wrong form with a usage error naming the expected one', () => {
    expect(() => parsePeriod('2024-13', 'month')).toThrow(UsageError);
    expect(() => parsePeriod('2024-13', 'month')).toThrow('不是月份，如 2024-03');
    expect(() => parsePeriod('2024Q5', 'quarter')).toThrow('不是季度，如 2024Q1');
    expect(() => parsePeriod('2024Q1', 'month')).toThrow(UsageError);
    expect(() => parsePeriod('2024-03', 'year')).toThrow('不是年份，如 2024');
    expect(() => parsePeriod('2024-13', 'month')).toThrow('--period 的值「2024-13」');
  });

  it('previousPeriod is the period before the one holding today, across year ends', () => {
    expect(previousPeriod('2024-03-31', 'month')).toEqual(monthPeriod(2024, 2));
    expect(previousPeriod('2024-01-15', 'month')).toEqual(monthPeriod(2023, 12));
    expect(previousPeriod('2024-05-01', 'quarter')).toEqual(quarterPeriod(2024, 1));
    expect(previousPeriod('2024-12-31', 'quarter')).toEqual(quarterPeriod(2024, 3));
    expect(previousPeriod('2024-02-10', 'quarter')).toEqual(quarterPeriod(2023, 4));
    expect(previousPeriod('2024-01-01', 'year')).toEqual(yearPeriod(2023));
  });
});

describe('day counts', () => {
  it('daysInMonth', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it('daysBetween counts across months, years and leap days, negative backwards', () => {
    expect(daysBetween('2024-01-31', '2024-02-01')).toBe(1);
    expect(daysBetween('2023-12-31', '2024-01-01')).toBe(1);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2023-01-01', '2024-01-01')).toBe(365);
    // 2024-03-15 → 2024-06-15: 16 + 30 + 31 + 15
    expect(daysBetween('2024-03-15', '2024-06-15')).toBe(92);
    expect(daysBetween('2024-06-15', '2024-03-15')).toBe(-92);
    expect(daysBetween('2024-06-15', '2024-06-15')).toBe(0);
  });

  it('addDays steps over month ends, year ends and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-06-15', -365)).toBe('2023-06-16');
    expect(addDays('2024-01-31', 30)).toBe('2024-03-01');
  });
});

describe('spanInWords', () => {
  it('writes a span as a document does: the year once within a year, both years across two', () => {
    expect(spanInWords('2026-07-01', '2026-09-30')).toBe('2026年7月1日至9月30日');
    expect(spanInWords('2025-12-01', '2026-01-31')).toBe('2025年12月1日至2026年1月31日');
  });
});
