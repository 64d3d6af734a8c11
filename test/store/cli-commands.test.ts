/** The store's commands, run in-process through main() against a temporary database. */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runHoshin } from '../support/cli.ts';
import { openStore } from '../../src/store/index.ts';
import { describeEachEngine } from './engines.ts';
import { createTestDatabase, type TestStore } from '../../src/store/index.ts';

const SEED = fileURLToPath(new URL('../fixtures/text/osaka-nishi-2017.txt', import.meta.url));

describeEachEngine('store commands', (engine) => {
  let dir: string;
  let db: TestStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hoshin-cli-'));
    db = await createTestDatabase(engine);
    copyFileSync(SEED, join(dir, 'nishi.txt'));
    writeFileSync(join(dir, 'kaku.txt'), readFileSync(SEED, 'utf8').replace('西区運営方針', '架空区運営方針'));
    writeFileSync(join(dir, 'bad.txt'), 'これは運営方針ではありません\n');
  });
  afterEach(async () => {
    await db.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hoshin = (...argv: string[]) => runHoshin(dir, db.url, argv);

  it('imports each file in its own transaction, reporting FILE:LINE diagnostics and exiting 1 when one is refused', async () => {
    const r = await hoshin('import', 'nishi.txt', 'bad.txt', 'kaku.txt', '--publish');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad\.txt:1: /m);
    expect(r.stderr).toMatch(/^kaku\.txt: warning: 「架空区」は大阪市/m);
    expect(r.stdout).toMatch(/nishi\.txt: 西区\(nishi\)2017年度 版 1 を保存しました・公開中/);
    const plans = await db.store.listPlans();
    expect(plans.map((p) => [p.organizationName, p.fiscalYear, p.publishedRevision])).toEqual([
      ['西区', 2017, 1],
      ['架空区', 2017, 1],
    ]);
    expect((await db.store.listAudit({ planId: plans[0]!.id }))[0]).toMatchObject({ actor: 'cli:tester', action: 'plan.create' });
    expect((await hoshin('import', 'nishi.txt')).stdout).toMatch(/変更なし\(版 1\)/);
  });

  it('prints the JSON and stores nothing with --dry-run --json', async () => {
    const r = await hoshin('import', 'nishi.txt', '--dry-run', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'hoshin-plan/2', organization: '西区', fiscalYear: 2017, documentStatus: 'draft' });
    expect(await db.store.listPlans()).toEqual([]);
    expect((await hoshin('import', 'nishi.txt', '--json')).code).toBe(2);
  });

  it('says with --dry-run which organization each document resolves to, or that a ward would be created, storing nothing', async () => {
    const orgs = (await db.store.listOrganizations()).length;
    const r = await hoshin('import', 'nishi.txt', 'kaku.txt', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^nishi\.txt: 西区\(nishi\)2017年度 — 取り込めます: 新しい計画として版 1 を保存します/m);
    // The same warning a real import gives, in the future tense.
    expect(r.stderr).toMatch(/^kaku\.txt: warning: 「架空区」は大阪市の組織として登録されていないため、取り込むと新しく登録します\(スラッグ osaka-[0-9a-f]{8}、/m);
    expect(r.stdout).toMatch(/^kaku\.txt: 架空区\(osaka-[0-9a-f]{8}\)2017年度 — 取り込めます: 区を新しく登録し、新しい計画として版 1 を保存します/m);
    expect(await db.store.listPlans()).toEqual([]);
    expect(await db.store.listOrganizations()).toHaveLength(orgs);
    expect(await db.store.listAudit()).toEqual([]);

    await hoshin('import', 'nishi.txt');
    expect((await hoshin('import', 'nishi.txt', '--dry-run')).stdout).toMatch(/西区\(nishi\)2017年度 — 取り込めます: 変更なし\(版 1\)/);
    writeFileSync(join(dir, 'nishi2.txt'), readFileSync(SEED, 'utf8').replace('地域活動協議会の活動支援】(29年度予算額 22,268千円)', '地域活動協議会の活動支援】(29年度予算額 23,000千円)'));
    expect((await hoshin('import', 'nishi2.txt', '--dry-run')).stdout).toMatch(/西区\(nishi\)2017年度 — 取り込めます: 版 2 を保存します/);
    expect((await db.store.listPlans())[0]!.currentRevision).toBe(1);
  });

  it('refuses --dry-run with a --city that names no city, as a real import does', async () => {
    const r = await hoshin('import', 'nishi.txt', '--dry-run', '--city', 'nowhere');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/市「nowhere」が見つかりません/);
    expect(r.stdout).toBe('');
  });

  it('checks only the document with --dry-run when there is no database yet, and creates none', async () => {
    const none = join(dir, 'none', 'hoshin.sqlite');
    const { code, stdout, stderr } = await runHoshin(dir, `sqlite:${none}`, ['import', 'nishi.txt', '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^nishi\.txt: 西区 2017年度 — 取り込めます\(--dry-run/m);
    expect(stderr).toMatch(/がまだないため、文書だけを検査します/);
    expect(existsSync(none)).toBe(false);
  });

  it('exports by slug, name or code in either format, and lists plans', async () => {
    await hoshin('import', 'nishi.txt');
    const text = await hoshin('export', 'nishi', '平成29', '--format', 'text');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^平成29年度 西区運営方針\(案\)/m);
    expect(JSON.parse((await hoshin('export', '271063', '2017')).stdout)).toMatchObject({ organization: '西区' });
    // The open-data CSV names the ward with its city and its code, as the public download does.
    const csv = (await hoshin('export', 'nishi', '2017', '--format', 'csv')).stdout;
    expect(csv.split('\r\n')[1]).toMatch(/^271063,大阪市 西区,2017,/);
    expect((await hoshin('export', '西区', '2017', '--format', 'json', '-o', 'out.json')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).fiscalYear).toBe(2017);
    expect((await hoshin('export', 'nishi', '2018')).code).toBe(1);
    expect((await hoshin('export', 'nishi', '2017', '--published')).stderr).toMatch(/公開されていません/);
    expect((await hoshin('export', 'nowhere', '2017')).code).toBe(1);
    expect((await hoshin('export', 'nishi', 'someday')).code).toBe(2);
    const list = await hoshin('list');
    expect(list.stdout).toMatch(/^nishi\s+西区\t2017年度\t編集中\t版1\t未公開\t案$/m);
    expect((await hoshin('list', '--orgs')).stdout).toMatch(/^kita\s+271276\s+大阪市北区\(きたく\)$/m);
    const revisions = await hoshin('list', '--revisions', '--org', 'nishi', '--year', '2017');
    expect(revisions.stdout).toMatch(/^版1\t\S+\tcli:tester\t案\t取り込み: nishi\.txt\t\(最新\)$/m);
    expect((await hoshin('list', '--revisions', '--org', 'nishi')).code).toBe(2);
  });

  it('adds a city and imports its wards with --city', async () => {
    expect((await hoshin('db', 'add-org', '--name', '堺市', '--kana', 'さかいし', '--slug', 'sakai', '--code', '271404')).code).toBe(2);
    expect((await hoshin('db', 'add-org', '--name', '堺市', '--kana', 'さかいし', '--slug', 'sakai', '--code', '271403')).code).toBe(0);
    expect((await hoshin('db', 'add-org', '--name', '西区', '--kana', 'にしく', '--slug', 'sakai-nishi', '--code', '271446', '--city', 'sakai')).code).toBe(0);
    expect((await hoshin('import', 'nishi.txt', '--city', 'sakai')).stdout).toMatch(/西区\(sakai-nishi\)/);
    expect((await hoshin('import', 'nishi.txt', '--city', 'atlantis')).code).toBe(1);
    expect((await hoshin('export', '西区', '2017', '--city', 'sakai')).code).toBe(0);
    // 西区 alone is now two organizations: refused with both named, never guessed.
    const ambiguous = await hoshin('export', '西区', '2017');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/「西区」という名前の組織は複数あります: nishi\(大阪市\)、sakai-nishi\(堺市\)/);
    expect((await hoshin('list', '--org', '西区')).code).toBe(2);
    expect((await hoshin('db', 'audit', '西区', '2017')).code).toBe(2);
    expect((await hoshin('list', '--org', '西区', '--city', 'sakai')).stdout).toMatch(/^sakai-nishi\s+西区\t2017年度/m);
    expect((await hoshin('db', 'audit', '西区', '2017', '--city', 'sakai')).stdout).toMatch(/plan\.create/);
    expect((await hoshin('export', '北区', '2017')).stderr).toMatch(/北区\(kita\)の2017年度の計画はありません/); // one 北区: no ambiguity
  });

  it('refuses to run against a database newer than itself', async () => {
    await db.store.kysely.insertInto('hoshin_schema').values({ version: 999, name: 'future', applied_at: new Date().toISOString() }).execute();
    for (const argv of [['list'], ['import', 'nishi.txt'], ['db', 'migrate'], ['db', 'status'], ['serve', '--port', '0']]) {
      const r = await hoshin(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/版 999.*新しい/);
      // The user's situation, not a bug of Hoshin's.
      expect(r.stderr).not.toMatch(/内部エラー/);
    }
    expect(await db.store.listPlans()).toEqual([]);
  });

  it('backs up, restores, migrates, checks and exports the audit log as CSV', async () => {
    await hoshin('import', 'nishi.txt');
    expect((await hoshin('db', 'migrate')).stdout).toMatch(/最新/);
    expect((await hoshin('db', 'check')).code).toBe(0);
    const csv = await hoshin('db', 'audit', 'nishi', '2017');
    expect(csv.stdout.split('\r\n')[0]).toBe('\uFEFFid,日時,実行者,操作,計画ID,組織ID,組織スラッグ,組織名,年度,項目,内容,IPアドレス');
    expect(csv.stdout.split('\r\n')[1]).toMatch(/^1,.*,cli:tester,plan\.create,\d+,\d+,nishi,大阪市西区,2017,/);
    expect((await hoshin('backup', 'b.bak')).code).toBe(0);
    expect((await hoshin('restore', 'b.bak')).code).toBe(1); // not empty
    const other = `sqlite:${join(dir, 'other.sqlite')}`;
    expect((await runHoshin(dir, other, ['restore', 'b.bak'])).code).toBe(0);
    const s = await openStore(other);
    expect((await s.listPlans()).map((p) => p.organizationSlug)).toEqual(['nishi']);
    await s.close();
  });
});
