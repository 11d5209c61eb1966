/** Amounts as people type them: separators, full-width digits, 万元; a decimal comma is refused, not read ×100. */
import { describe, expect, it } from 'vitest';
import { parseMoney } from '../src/util/money.js';

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
