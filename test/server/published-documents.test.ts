/** The official PDF and xlsx as public downloads, through the published cache. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublishedCache } from '../../src/server/published/cache.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let cache: PublishedCache;
beforeAll(async () => {
  cache = new PublishedCache();
  world = await createWorld({ publishedCache: cache });
});
afterAll(() => world.close());

const head = (bytes: Uint8Array, n: number) => new TextDecoder('latin1').decode(bytes.subarray(0, n));

describe('official documents of a published plan', () => {
  it('are linked from the public page', async () => {
    const html = await (await world.app.request('/plans/nishi/2017')).text();
    expect(html).toContain('href="/plans/nishi/2017/plan.pdf" download');
    expect(html).toContain('href="/plans/nishi/2017/plan.xlsx" download');
  });

  for (const [ext, type, magic] of [
    ['pdf', 'application/pdf', '%PDF-'],
    ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'PK'],
  ] as const) {
    it(`serves the ${ext} with its media type and a Japanese file name, made once, never re-compressed`, async () => {
      const path = `/plans/nishi/2017/plan.${ext}`;
      const before = cache.stats.renders;
      const res = await world.app.request(path, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="nishi-2017.${ext}"; filename*=UTF-8''${encodeURIComponent(`大阪市西区_2017年度_運営方針.${ext}`)}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(head(bytes, magic.length)).toBe(magic);
      expect(Number(res.headers.get('content-length'))).toBe(bytes.byteLength);
      const again = await world.app.request(path);
      expect(new Uint8Array(await again.arrayBuffer())).toEqual(bytes);
      expect(cache.stats.renders - before).toBe(1);
      expect((await world.app.request(path, { headers: { 'if-none-match': res.headers.get('etag')! } })).status).toBe(304);
    });
  }

  it('are listed by the API beside the other formats', async () => {
    const { plans } = await (await world.app.request('/api/v2/plans')).json();
    expect(plans[0]).toMatchObject({
      pdf: '/plans/nishi/2017/plan.pdf', xlsx: '/plans/nishi/2017/plan.xlsx',
      initiativesCsv: '/plans/nishi/2017/initiatives.csv', measurementsCsv: '/plans/nishi/2017/measurements.csv',
    });
  });

  it('is not found for a plan that is not published', async () => {
    expect((await world.app.request('/plans/nishi/2018/plan.pdf')).status).toBe(404);
    expect((await world.app.request('/plans/nishi/2018/plan.xlsx')).status).toBe(404);
  });
});
