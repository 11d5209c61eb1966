/** Amounts as people type them: separators, full-width digits, 万元; a decimal comma is refused, not read ×100. */
import { describe, expect, it } from 'vitest';
import { formatMoney, moneyNumber, parseMoney } from '../src/util/money.js';

describe('parseMoney', () => {
  it('reads plain, grouped, full-width and 万元 amounts into cents', () => {
    expect(parseMoney('300')).toBe(30000);
    expect(parseMoney('300.5')).toBe(30050);
    expect(parseMoney('1,234.56')).toBe(123456);
    expect(parseMoney('1 200')).toBe(120000);
    expect(parseMoney('1,234,567')).toBe(123456700);
    expect(parseMoney('１，２００．５０')).toBe(120050);
    expect(parseMoney(' 1200万元 ')).toBe(120000);
    expect(parseMoney('300 万')).toBe(30000);
    expect(parseMoney(0.1 + 0.2)).toBe(30);
  });

  it('refuses separators that do not group three digits: a decimal comma is not a thousands separator', () => {
    expect(parseMoney('12,34')).toBeUndefined();
    expect(parseMoney('1,20,0')).toBeUndefined();
    expect(parseMoney('12 34')).toBeUndefined();
    expect(parseMoney(',123')).toBeUndefined();
    expect(parseMoney('1,2345')).toBeUndefined();
  });

  it('refuses negatives, more than two decimals and anything not a number', () => {
    expect(parseMoney('-5')).toBeUndefined();
    expect(parseMoney(-5)).toBeUndefined();
    expect(parseMoney('1.234')).toBeUndefined();
    expect(parseMoney('1.230')).toBe(123);
    expect(parseMoney('abc')).toBeUndefined();
    expect(parseMoney('')).toBeUndefined();
  });
});

describe('moneyNumber', () => {
  it('is the number the decimal string reads as, for any cents, negative and past 2^53 too', () => {
    const cents = [0, 1, 5, 10, 29, 99, 100, 101, 110, 123456, 999999, 1000001, -1, -10, -123456, 2 ** 31, 2 ** 32 + 7, 2 ** 52 - 1, Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (let c = 0; c < 100000; c += 7) cents.push(c, c * 104729 + 3);
    for (const c of cents) expect(moneyNumber(c), String(c)).toBe(Number(formatMoney(c)));
    expect(moneyNumber(2n ** 60n + 5n)).toBe(Number(formatMoney(2n ** 60n + 5n)));
    expect(moneyNumber(12345)).toBe(123.45);
    expect(moneyNumber(10)).toBe(0.1);
    // never a negative zero (JSON and the cells write it as 0 either way, but a comparison with Object.is would not)
    expect(Object.is(moneyNumber(-0), 0)).toBe(true);
  });

  it('refuses cents that are not whole, as before', () => {
    expect(() => moneyNumber(1.5)).toThrow();
  });
});
