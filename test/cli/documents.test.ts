/**
 * The official documents through the commands: convert --to pdf|xlsx writes them and reads them
 * back to the same plan; export --format pdf|xlsx writes the stored plan with its measurements;
 * a PDF is not written to a terminal; a damaged workbook is refused naming its sheet or file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { runHoshin } from '../support/cli.ts';
import { createTestDatabase, type TestStore } from '../../src/store/index.ts';
import { describeEachEngine } from '../store/engines.ts';

const FIXTURE = 'test/fixtures/json/osaka-nishi-2017-pdca.json';
const SEED = 'test/fixtures/text/osaka-nishi-2017.txt';

describeEachEngine('PDF and xlsx through the CLI', (engine) => {
  let dir: string;
  let db: TestStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hoshin-cli-docs-'));
    db = await createTestDatabase(engine);
    writeFileSync(join(dir, 'pdca.json'), readFileSync(FIXTURE));
    writeFileSync(join(dir, 'seed.txt'), readFileSync(SEED));
  });
  afterEach(async () => {
    await db.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hoshin = (...argv: string[]) => runHoshin(dir, db.url, argv);

  it('convert writes a PDF and a workbook that convert reads back to the same JSON', async () => {
    const json = (await hoshin('convert', 'pdca.json', '--to', 'json')).stdout;
    for (const format of ['pdf', 'xlsx']) {
      expect(await hoshin('convert', 'pdca.json', '--to', format, '-o', `out.${format}`)).toEqual({ code: 0, stdout: '', stderr: '' });
      const bytes = readFileSync(join(dir, `out.${format}`));
      expect(bytes.subarray(0, 4).toString('latin1')).toBe(format === 'pdf' ? '%PDF' : 'PK\u0003\u0004');
      expect(await hoshin('convert', `out.${format}`, '--to', 'json'), format).toEqual({ code: 0, stdout: json, stderr: '' });
    }
    expect((await hoshin('convert', 'seed.txt', '--to', 'docx')).code).toBe(2);
  });

  it('export --format pdf|xlsx writes the stored plan with its measurements; import reads them back unchanged', async () => {
    expect((await hoshin('import', 'pdca.json', '--publish')).code).toBe(0);
    const stored = (await hoshin('export', 'nishi', '2017', '--published')).stdout;
    for (const format of ['pdf', 'xlsx']) {
      expect(await hoshin('export', 'nishi', '2017', '--published', '--format', format, '-o', `nishi.${format}`)).toEqual({ code: 0, stdout: '', stderr: '' });
      expect((await hoshin('convert', `nishi.${format}`, '--to', 'json')).stdout, format).toBe(stored);
      expect((await hoshin('import', `nishi.${format}`)).stdout, format).toBe(`nishi.${format}: 西区(nishi)2017年度 変更なし(版 1)・公開中\n`);
    }
  });

  it('refuses to write a PDF to a terminal, and names the file of a damaged workbook', async () => {
    let stderr = '';
    const code = await main(['convert', 'seed.txt', '--to', 'pdf'], { stdout: () => {}, stderr: (s) => (stderr += s), isTTY: true, stdoutIsTTY: true, cwd: dir, env: {} });
    expect(code).toBe(1);
    expect(stderr).toContain('-o で出力先');
    writeFileSync(join(dir, 'broken.xlsx'), 'PK\u0003\u0004garbage');
    const broken = await hoshin('convert', 'broken.xlsx');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^broken\.xlsx.*: .*(Excel|壊れて)/);
  });
});
