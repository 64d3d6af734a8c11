import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/domain/plan.ts';
import {
  CSV_BOM, INITIATIVE_COLUMNS, initiativeRows, MEASUREMENT_COLUMNS, measurementRows, neutralizeFormula, type CsvCell,
} from '../../src/formats/csv/open-data.ts';
import { parseDocument } from '../../src/formats/index.ts';
import { publishedInitiativesStream } from '../../src/server/routes/open-data.ts';
import { importPlan } from '../../src/store/import-plan.ts';
import { createTestStore } from '../../src/store/index.ts';
import { createWorld, seedPlan, type World } from './harness.ts';

/** RFC 4180 records (CRLF, quoted fields with doubled quotes), read apart from the writer. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += ch;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

const shown = (rows: CsvCell[][]) => rows.map((r) => r.map((c) => (c === null ? '' : typeof c === 'number' ? String(c) : neutralizeFormula(c))));

/** The body as sent: Response.text() would drop the BOM this test looks for. */
async function bodyText(res: Response): Promise<string> {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
}

async function csvOf(res: Response): Promise<string[][]> {
  const text = await bodyText(res);
  expect(text.startsWith(CSV_BOM)).toBe(true);
  expect(text.indexOf(CSV_BOM, 1)).toBe(-1);
  return readCsv(text.slice(1));
}

const NISHI = { code: '271063', name: '大阪市 西区' };
const pdcaFixture = (): Plan => parseDocument(readFileSync('test/fixtures/json/osaka-nishi-2017-pdca.json'), 'plan.json').plan!;

describe('open-data CSV routes', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  /** Saves and publishes a plan for a ward and year, as an approver's publish would. */
  async function publish(slug: string, fiscalYear: number, plan: Plan = { ...seedPlan(), fiscalYear }): Promise<void> {
    const organization = (await world.store.findOrganization(slug))!;
    const existing = await world.store.findPlan(organization.id, fiscalYear);
    const saved = await world.store.savePlan({ organizationId: organization.id, fiscalYear, plan, basedOnRevision: existing?.currentRevision ?? null, author: 'test', message: 'test' });
    await world.store.publishRevision({ planId: saved.planId, revision: saved.number, actor: 'test' });
  }

  it('serves a published plan\'s initiatives with its media type, file name, BOM and one row per initiative', async () => {
    const res = await world.app.request('/plans/nishi/2017/initiatives.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="nishi-2017-initiatives.csv"');
    const rows = await csvOf(res);
    const plan = (await world.store.getPublishedPlan('nishi', 2017))!.revision.plan;
    expect(rows).toEqual([[...INITIATIVE_COLUMNS], ...shown(initiativeRows(plan, NISHI))]);
    expect(rows.length - 1).toBe(plan.issues.flatMap((i) => i.strategies.flatMap((s) => s.initiatives)).length);
    expect(rows[1]!.slice(0, 4)).toEqual(['271063', '大阪市 西区', '2017', '平成29年度']);
  });

  it('serves a published plan\'s measurements from the store, one row per measurement', async () => {
    const imported = await importPlan(world.store, { plan: pdcaFixture(), city: (await world.store.findOrganization('osaka'))!, publish: true, author: 'cli:test', message: 'import' });
    const res = await world.app.request('/plans/nishi/2017/measurements.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="nishi-2017-measurements.csv"');
    const rows = await csvOf(res);
    const plan = (await world.store.getPublishedPlan('nishi', 2017))!.revision.plan;
    const records = await world.store.listMeasurements(imported.planId);
    expect(records.length).toBeGreaterThan(0);
    expect(rows).toEqual([[...MEASUREMENT_COLUMNS], ...shown(measurementRows(plan, NISHI, records))]);
    expect(rows.length - 1).toBe(records.length);
  });

  it('is not found for a plan that is not published, an unknown ward or a bad year', async () => {
    for (const path of [
      '/plans/nishi/2018/initiatives.csv', '/plans/nishi/2018/measurements.csv',
      '/plans/nowhere/2017/initiatives.csv', '/plans/kita/2017/measurements.csv', '/plans/nishi/abc/initiatives.csv',
    ]) {
      const res = await world.app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).not.toContain('text/csv');
    }
  });

  it('streams every published plan\'s initiatives into one file: one header, plans in the listing\'s order', async () => {
    await publish('kita', 2017);
    await publish('nishi', 2019);
    const res = await world.app.request('/api/v2/plans.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="hoshin-initiatives.csv"');
    const rows = await csvOf(res);
    const listed = await world.store.listPublishedPlans();
    expect(listed).toHaveLength(3);
    const expected: string[][] = [[...INITIATIVE_COLUMNS]];
    for (const p of listed) {
      const published = (await world.store.getPublishedPlan(p.organizationSlug, p.fiscalYear))!;
      expected.push(...shown(initiativeRows(published.revision.plan, { code: published.organization.code, name: `大阪市 ${published.organization.name}` })));
    }
    expect(rows).toEqual(expected);
    expect(new Set(rows.slice(1).map((r) => `${r[1]} ${r[2]}`))).toEqual(new Set(['大阪市 西区 2017', '大阪市 北区 2017', '大阪市 西区 2019']));
  });

  it('writes one plan per chunk and pages through the store, whatever the page size', async () => {
    await publish('kita', 2017);
    await publish('nishi', 2019);
    const whole = await bodyText(await world.app.request('/api/v2/plans.csv'));
    for (const pageSize of [1, 2, 3, 100]) {
      const reader = publishedInitiativesStream(world.store, pageSize).getReader();
      const chunks: string[] = [];
      const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(decoder.decode(value));
      }
      // The head, then one chunk for each of the three plans.
      expect(chunks, `page size ${pageSize}`).toHaveLength(4);
      expect(chunks[0]).toBe(`${CSV_BOM}${INITIATIVE_COLUMNS.join(',')}\r\n`);
      // Each chunk is one whole plan: every row names the same organization and year.
      for (const chunk of chunks.slice(1)) expect(new Set(readCsv(chunk).map((r) => `${r[1]} ${r[2]}`)).size).toBe(1);
      expect(chunks.join(''), `page size ${pageSize}`).toBe(whole);
    }
  });

  it('is a header alone when nothing is published', async () => {
    const empty = await createTestStore('sqlite');
    try {
      const text = await bodyText(new Response(publishedInitiativesStream(empty)));
      expect(text).toBe(`${CSV_BOM}${INITIATIVE_COLUMNS.join(',')}\r\n`);
    } finally {
      await empty.close();
    }
  });
});
