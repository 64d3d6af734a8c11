/**
 * A workbook opened and saved again by another spreadsheet program still reads back as the same
 * plan: LibreOffice rewrites every part (shared strings, styles, merges, hidden columns) in its
 * own way. Without LibreOffice the test is skipped with a loud message, except under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_FORMAT_2, toPlanJson } from '../../../src/formats/index.ts';
import { readPlanXlsx } from '../../../src/formats/xlsx/read.ts';
import { renderPlanXlsx } from '../../../src/formats/xlsx/render.ts';
import { hostilePlan, pdcaPlan } from './plans.ts';

function libreOffice(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v libreoffice || command -v soffice'], { encoding: 'utf8' }).stdout.trim();
  if (found !== '') return found;
  const message = 'LibreOffice not found (apt-get install libreoffice-calc-nogui)';
  if (process.env.CI === 'true') throw new Error(`${message}: the LibreOffice round trip cannot be skipped in CI`);
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING THE LIBREOFFICE ROUND TRIP: ${message}\n${'!'.repeat(78)}\n`);
  return undefined;
}

const soffice = libreOffice();

describe.skipIf(!soffice)('a workbook saved again by LibreOffice', () => {
  it('reads back as the same plan', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshin-xlsx-lo-'));
    try {
      const plans = { pdca: pdcaPlan(), hostile: hostilePlan() };
      for (const [name, plan] of Object.entries(plans)) writeFileSync(join(dir, `${name}.xlsx`), await renderPlanXlsx(plan));
      // A profile of its own: another LibreOffice running on the machine would otherwise hold the lock.
      const run = spawnSync(
        soffice!,
        [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', join(dir, 'out'), ...Object.keys(plans).map((n) => join(dir, `${n}.xlsx`))],
        { encoding: 'utf8', timeout: 110_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      for (const [name, plan] of Object.entries(plans)) {
        const read = await readPlanXlsx(readFileSync(join(dir, 'out', `${name}.xlsx`)));
        expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(toPlanJson(read.plan!, PLAN_FORMAT_2)).toEqual(toPlanJson(plan, PLAN_FORMAT_2));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
