/** The HTTP rules of cached public responses, as pure functions (src/server/published/http.ts). */
import { describe, expect, it } from 'vitest';
import { chooseCoding, contentDisposition, notModified } from '../../src/server/published/http.ts';

describe('Accept-Encoding', () => {
  const both = ['br', 'gzip', 'identity'] as const;
  it('prefers the highest q, then the smaller body; identity without a header', () => {
    expect(chooseCoding(undefined, both)).toBe('identity');
    expect(chooseCoding('', both)).toBe('identity');
    expect(chooseCoding('gzip, deflate, br', both)).toBe('br');
    expect(chooseCoding('gzip, deflate, br, zstd', both)).toBe('br');
    expect(chooseCoding('br;q=0.5, gzip', both)).toBe('gzip');
    expect(chooseCoding('br;q=0.5, gzip;q=0.5', both)).toBe('br');
    expect(chooseCoding('GZIP', both)).toBe('gzip');
    expect(chooseCoding('x-gzip', both)).toBe('gzip');
    expect(chooseCoding('deflate', both)).toBe('identity');
    expect(chooseCoding('*', both)).toBe('br');
    expect(chooseCoding('*;q=0.1, identity;q=0.5', both)).toBe('identity');
  });

  it('uses only the codings this response has', () => {
    expect(chooseCoding('br', ['gzip', 'identity'])).toBe('identity');
    expect(chooseCoding('br, gzip', ['identity'])).toBe('identity');
  });

  it('honours refusals: q=0, identity;q=0, *;q=0; null when nothing is left (406)', () => {
    expect(chooseCoding('br;q=0, gzip', both)).toBe('gzip');
    expect(chooseCoding('br;q=0, gzip;q=0', both)).toBe('identity');
    expect(chooseCoding('identity;q=0', both)).toBeNull();
    expect(chooseCoding('*;q=0', both)).toBeNull();
    expect(chooseCoding('gzip, *;q=0', both)).toBe('gzip');
    expect(chooseCoding('br, identity;q=0', ['identity'])).toBeNull();
  });

  it('skips elements with a malformed weight instead of guessing', () => {
    expect(chooseCoding('br;q=2, gzip', both)).toBe('gzip');
    expect(chooseCoding('br;q=abc, gzip;q=0.2', both)).toBe('gzip');
    expect(chooseCoding('br;q=0.0001', both)).toBe('identity');
    expect(chooseCoding('br ; q = 0.8 , gzip;q=0.7', both)).toBe('br');
  });
});

describe('conditional requests', () => {
  const lm = new Date('2026-11-28T08:00:00.700Z');
  it('If-None-Match: weak comparison, lists, *; it wins over If-Modified-Since', () => {
    expect(notModified({ ifNoneMatch: '"abc"' }, '"abc"', lm)).toBe(true);
    expect(notModified({ ifNoneMatch: 'W/"abc"' }, '"abc"', lm)).toBe(true);
    expect(notModified({ ifNoneMatch: '"x", "abc"' }, '"abc"', lm)).toBe(true);
    expect(notModified({ ifNoneMatch: '*' }, '"abc"', lm)).toBe(true);
    expect(notModified({ ifNoneMatch: '"abc-br"' }, '"abc"', lm)).toBe(false);
    expect(notModified({ ifNoneMatch: '"x"', ifModifiedSince: lm.toUTCString() }, '"abc"', lm)).toBe(false);
  });

  it('If-Modified-Since: whole seconds; a later date too; unreadable dates ignored', () => {
    expect(notModified({ ifModifiedSince: 'Sat, 28 Nov 2026 08:00:00 GMT' }, '"a"', lm)).toBe(true);
    expect(notModified({ ifModifiedSince: 'Sat, 28 Nov 2026 09:00:00 GMT' }, '"a"', lm)).toBe(true);
    expect(notModified({ ifModifiedSince: 'Sat, 28 Nov 2026 07:59:59 GMT' }, '"a"', lm)).toBe(false);
    expect(notModified({ ifModifiedSince: 'yesterday' }, '"a"', lm)).toBe(false);
    expect(notModified({}, '"a"', lm)).toBe(false);
  });
});

describe('Content-Disposition', () => {
  it('keeps an ASCII name as it is', () => {
    expect(contentDisposition('nishi-2017-initiatives.csv', 'x')).toBe('attachment; filename="nishi-2017-initiatives.csv"');
  });

  it('gives a Japanese name in filename* (RFC 8187) with an ASCII fallback', () => {
    const value = contentDisposition('大阪市西区_2017年度_運営方針.pdf', 'nishi-2017.pdf');
    expect(value).toBe(`attachment; filename="nishi-2017.pdf"; filename*=UTF-8''${encodeURIComponent('大阪市西区_2017年度_運営方針.pdf')}`);
    const encoded = /filename\*=UTF-8''(.*)$/.exec(value)![1]!;
    expect(decodeURIComponent(encoded)).toBe('大阪市西区_2017年度_運営方針.pdf');
    // Quotes, parentheses and the like never reach the header raw.
    expect(contentDisposition('a"b (1)\r\n.txt', 'a"b.txt')).toBe(`attachment; filename="a_b.txt"; filename*=UTF-8''a%22b%20%281%29%0D%0A.txt`);
  });
});
