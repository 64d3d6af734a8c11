/** The cache's own bookkeeping: the byte-bounded LRU and the remembered reads (no server). */
import { describe, expect, it } from 'vitest';
import { PublishedCache, japanDate } from '../../src/server/published/cache.ts';
import { ByteLru } from '../../src/server/published/lru.ts';

describe('ByteLru', () => {
  it('evicts the least recently used until the bytes fit, and refuses what alone is too big', () => {
    const lru = new ByteLru<string>(100);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    lru.set('c', 'C', 40);
    expect(lru.keys()).toEqual(['a', 'c']);
    expect(lru.bytes).toBe(80);
    expect(lru.evictions).toBe(1);
    expect(lru.set('huge', 'H', 101)).toBe(false);
    expect(lru.keys()).toEqual(['a', 'c']);
    lru.set('a', 'A2', 10); // replacing counts the new size only
    expect(lru.bytes).toBe(50);
    lru.deleteWhere((k) => k === 'c');
    expect(lru.keys()).toEqual(['a']);
    expect(lru.bytes).toBe(10);
  });
});

describe('PublishedCache.remember', () => {
  it('reads once per interval, shares a read in flight, and forgets on change', async () => {
    let t = 0;
    const cache = new PublishedCache({ clock: () => t, revalidateMs: 1000 });
    let reads = 0;
    const read = async () => ++reads;
    const [x, y] = await Promise.all([cache.remember('k', read), cache.remember('k', read)]);
    expect([x, y, reads]).toEqual([1, 1, 1]);
    t = 999;
    expect(await cache.remember('k', read)).toBe(1);
    t = 1000;
    expect(await cache.remember('k', read)).toBe(2);
    cache.changed();
    expect(await cache.remember('k', read)).toBe(3);
  });

  it('does not remember a failed read', async () => {
    const cache = new PublishedCache({ clock: () => 0 });
    await expect(cache.remember('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.remember('k', async () => 'up')).toBe('up');
  });

  it('drops expired reads of other plans as it goes, so idle plans hold nothing', async () => {
    let t = 0;
    const cache = new PublishedCache({ clock: () => t, revalidateMs: 1000 });
    for (let i = 0; i < 50; i++) await cache.remember(`plan${i}`, async () => i);
    t = 5000;
    let reads = 0;
    for (let i = 0; i < 30; i++) await cache.remember('hot', async () => ++reads);
    await cache.remember('other', async () => 0);
    await cache.remember('other2', async () => 0);
    // Each of the three new reads dropped two expired ones: 50 − 6 old, plus the three.
    const held = (cache as unknown as { snapshots: Map<string, unknown> }).snapshots.size;
    expect(held).toBe(50 - 6 + 3);
  });
});

describe('japanDate', () => {
  it('is the date in Japan, which keeps no daylight saving time', () => {
    expect(japanDate(Date.parse('2026-03-31T14:59:59Z'))).toBe('2026-03-31');
    expect(japanDate(Date.parse('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
    expect(japanDate(Date.parse('2026-07-01T00:00:00Z'))).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date('2026-07-01T00:00:00Z')));
  });
});
