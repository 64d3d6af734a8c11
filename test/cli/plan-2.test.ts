/**
 * hoshin-plan/2 through the commands: convert keeps a /2 document's bytes, json1 writes /1,
 * import --publish stores everything a /2 document carries, and export gives it back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runHoshin } from '../support/cli.ts';
import { parseDocument, toPlanJson } from '../../src/formats/index.ts';
import { createTestDatabase, type TestStore } from '../../src/store/index.ts';
import { describeEachEngine } from '../store/engines.ts';

const FIXTURE = 'test/fixtures/json/osaka-nishi-2017-pdca.json';
const fixture = readFileSync(FIXTURE, 'utf8');

describeEachEngine('hoshin-plan/2 through the CLI', (engine) => {
  let dir: string;
  let db: TestStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hoshin-cli2-'));
    db = await createTestDatabase(engine);
    writeFileSync(join(dir, 'pdca.json'), fixture);
  });
  afterEach(async () => {
    await db.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hoshin = (...argv: string[]) => runHoshin(dir, db.url, argv);

  it('convert --to json gives a /2 document back byte for byte; --to json1 leaves every /2 key out', async () => {
    expect(await hoshin('convert', 'pdca.json', '--to', 'json')).toEqual({ code: 0, stdout: fixture, stderr: '' });
    const v1 = await hoshin('convert', 'pdca.json', '--to', 'json1');
    expect(v1.code).toBe(0);
    expect(JSON.parse(v1.stdout)).toStrictEqual(toPlanJson(parseDocument(new TextEncoder().encode(fixture), 'a.json').plan!));
    expect(v1.stdout).toMatch(/^ {2}"format": "hoshin-plan\/1",$/m);
    for (const key of ['ratingScales', 'reviews', 'Indicators', 'measurements', '"id"', 'vision']) expect(v1.stdout).not.toContain(key);
    expect((await hoshin('convert', 'pdca.json', '--to', 'json2')).code).toBe(2);
  });

  it('import --publish stores everything; export (json) gives the same JSON, json1 the /1 of it; a re-import adds nothing', async () => {
    const imported = await hoshin('import', 'pdca.json', '--publish');
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toBe('pdca.json: 西区(nishi)2017年度 版 1 を保存しました・測定値 4 件を保存しました・公開中\n');
    expect((await hoshin('export', 'nishi', '2017', '--published')).stdout).toBe(fixture);
    expect((await hoshin('export', 'nishi', '2017')).stdout).toBe(fixture);
    const v1 = (await hoshin('export', 'nishi', '2017', '--format', 'json1')).stdout;
    expect(v1).toBe((await hoshin('convert', 'pdca.json', '--to', 'json1')).stdout);
    expect((await hoshin('import', 'pdca.json')).stdout).toBe('pdca.json: 西区(nishi)2017年度 変更なし(版 1)・公開中\n');
    expect((await hoshin('export', 'nishi', '2017')).stdout).toBe(fixture);
  });

  it('refuses a carriedFrom that last year\'s stored plan lacks, at its line, storing nothing', async () => {
    const previous = JSON.parse(fixture) as { fiscalYear: number; issues: { id: string; carriedFrom?: string }[] };
    previous.fiscalYear = 2016;
    previous.issues[0]!.id = 'issue-1-fy2016';
    delete previous.issues[0]!.carriedFrom;
    const text = JSON.stringify(previous, null, 2).replace(/"carriedFrom": "initiative-1-1-1-fy2016",\n\s*/, '').replace(/"date": "2017-/g, '"date": "2016-');
    writeFileSync(join(dir, 'fy2016.json'), text);
    expect(await hoshin('import', 'fy2016.json')).toMatchObject({ code: 0, stderr: '' });
    const line = fixture.split('\n').findIndex((l) => l.includes('"carriedFrom": "initiative-1-1-1-fy2016"')) + 1;
    const r = await hoshin('import', 'pdca.json');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(`pdca.json:${line}: issues[0].strategies[0].initiatives[0].carriedFrom: carriedFrom「initiative-1-1-1-fy2016」は前年度(2016年度)の計画の項目にありません\n`);
    expect((await hoshin('import', 'pdca.json', '--dry-run')).stderr).toContain(`pdca.json:${line}: `);
    expect(await db.store.listPlans()).toHaveLength(1);
  });

  it('refuses a review rating a code its scale lacks, at its line and field', async () => {
    writeFileSync(join(dir, 'bad.json'), fixture.replace('"code": "②"\n', '"code": "③"\n'));
    const line = fixture.split('\n').findIndex((l) => l.includes('"code": "②"') && !l.includes(',')) + 1;
    const r = await hoshin('import', 'bad.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^bad\\.json:${line}: .*「③」は尺度「osaka-midyear-achievement」`, 'm'));
    expect(await db.store.listPlans()).toHaveLength(0);
  });
});
