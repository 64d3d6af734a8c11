/**
 * The editor on the largest plan Hoshin accepts (test/domain/plan-at-limits.ts: every list
 * and the plan-wide limits of src/domain/limits.ts at once), against the seed:
 *  - edit page: GET /staff/plans/:id/edit, server time and HTML size;
 *  - save:      POST of that page's own form back (form → plan, validation, store);
 *  - parse:     parseDocument of the plan as hoshin-plan/1 JSON and as text;
 *  - refuse:    parseDocument of a document just under the 10 MB upload limit holding about
 *               100,000 initiatives (JSON) or 500,000 (text): how cheaply a plan far over the
 *               limits is turned away.
 * Each is run RUNS times (BENCH_RUNS, default 5) and the median reported. The numbers are
 * in docs/limits.md: a plan at the limits must stay usable in a browser.
 *
 *   node --import tsx bench/editor-limits.ts      # or: npm run bench -- editor
 */
import { pathToFileURL } from 'node:url';
import { validatePlan } from '../src/domain/validate.ts';
import type { Plan } from '../src/domain/plan.ts';
import { MAX_DOCUMENT_BYTES, parseDocument, renderDocument, type FormatName } from '../src/formats/index.ts';
import { planAtLimits } from '../test/domain/plan-at-limits.ts';
import { createWorld, formFieldsOf, seedPlan, signedIn } from '../test/server/harness.ts';

export interface EditorLimitsRow {
  plan: 'seed' | 'at limits' | 'under 10 MB';
  operation: 'edit page' | 'save' | 'parse JSON' | 'parse text' | 'refuse JSON' | 'refuse text';
  /** Median over the runs. */
  ms: number;
  /** Bytes of the page (edit page), of the form body (save) or of the document (parse). */
  megabytes: number;
  /** HTTP status of the request (edit page, save). */
  status?: number;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MB = 1024 * 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function benchPlan(name: EditorLimitsRow['plan'], plan: Plan): Promise<EditorLimitsRow[]> {
  const errors = validatePlan(plan).filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${name}: the plan is not valid: ${errors[0]!.message}`);
  const world = await createWorld();
  try {
    const editor = await signedIn(world.app, 'editor');
    const saved = await world.store.savePlan({
      organizationId: world.nishiId, fiscalYear: 2030, plan: { ...plan, organization: '西区', fiscalYear: 2030 },
      basedOnRevision: null, author: 'editor', message: 'bench',
    });
    const path = `/staff/plans/${saved.planId}/edit`;
    const rows: EditorLimitsRow[] = [];

    const pages: number[] = [];
    let html = '';
    for (let r = 0; r < RUNS; r++) {
      const { ms, value } = await timed(async () => {
        const res = await editor.get(path);
        if (res.status !== 200) throw new Error(`${name}: GET ${path} answered ${res.status}`);
        return res.text();
      });
      pages.push(ms);
      html = value;
    }
    rows.push({ plan: name, operation: 'edit page', ms: median(pages), megabytes: Buffer.byteLength(html) / MB, status: 200 });

    const fields = formFieldsOf(html, path);
    const body = new URLSearchParams({ _csrf: editor.csrf, ...fields, _message: 'bench', action: 'save' }).toString();
    const saves: number[] = [];
    let status = 0;
    for (let r = 0; r < RUNS; r++) {
      // Each save is based on the revision the last one made, as a user saving repeatedly.
      const base = (await world.store.getPlan(saved.planId))!.currentRevision;
      const form = body.replace(/(^|&)_baseRevision=\d+/, `$1_baseRevision=${base}`);
      const { ms, value: res } = await timed(() => editor.request(path, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
      // 413 is the server's form body limit (FORM_BODY_LIMIT in src/server/app.ts): reported, not hidden.
      if (res.status !== 303 && res.status !== 413) throw new Error(`${name}: saving the edit page's own form answered ${res.status}`);
      status = res.status;
      saves.push(ms);
    }
    rows.push({ plan: name, operation: 'save', ms: median(saves), megabytes: Buffer.byteLength(body) / MB, status });

    for (const format of ['json', 'text'] as const) {
      const bytes = new TextEncoder().encode(renderDocument(plan, format));
      const times: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const { ms, value } = await timed(() => Promise.resolve(parseDocument(bytes, `plan.${format === 'json' ? 'json' : 'txt'}`)));
        if (!value.plan) throw new Error(`${name}: the ${format} rendering does not parse: ${value.diagnostics[0]?.message}`);
        times.push(ms);
      }
      rows.push({ plan: name, operation: format === 'json' ? 'parse JSON' : 'parse text', ms: median(times), megabytes: bytes.length / MB });
    }
    return rows;
  } finally {
    await world.close();
  }
}

/** One strategy with as many one-character initiatives as fit under the upload limit in `format`. */
function hugeDocument(format: FormatName): Uint8Array {
  const make = (count: number): Plan => {
    const plan = seedPlan();
    plan.issues[0]!.strategies[0]!.initiatives = Array.from({ length: count }, (_, k) => ({
      number: `1-1-${k + 1}`, title: 'x', budgetThousandYen: k, cmBudgetThousandYen: null, description: '',
    }));
    return plan;
  };
  const sample = 10_000;
  const perItem = new TextEncoder().encode(renderDocument(make(sample), format)).length / sample;
  // Longer numbers make later items larger than the sample's: shrink until it fits.
  for (let count = Math.floor(MAX_DOCUMENT_BYTES / perItem); ; count = Math.floor(count * 0.97)) {
    const bytes = new TextEncoder().encode(renderDocument(make(count), format));
    if (bytes.length <= MAX_DOCUMENT_BYTES) return bytes;
  }
}

function benchRefusal(format: FormatName): EditorLimitsRow {
  const bytes = hugeDocument(format);
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    const result = parseDocument(bytes, `plan.${format === 'json' ? 'json' : 'txt'}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.plan) throw new Error(`a ${format} document far over the limits was accepted`);
  }
  return { plan: 'under 10 MB', operation: format === 'json' ? 'refuse JSON' : 'refuse text', ms: median(times), megabytes: bytes.length / MB };
}

export async function benchEditorLimits(): Promise<EditorLimitsRow[]> {
  const rows = [
    ...(await benchPlan('seed', seedPlan())),
    ...(await benchPlan('at limits', planAtLimits())),
    benchRefusal('json'),
    benchRefusal('text'),
  ];
  console.log('plan        operation        ms       MB  status');
  for (const r of rows) {
    console.log(`${r.plan.padEnd(11)} ${r.operation.padEnd(12)} ${r.ms.toFixed(1).padStart(8)} ${r.megabytes.toFixed(2).padStart(8)}  ${r.status ?? ''}`);
  }
  console.log(`(median of ${RUNS} runs; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB)`);
  return rows;
}

/** For bench/run.ts. */
export const run = benchEditorLimits;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchEditorLimits();
}
