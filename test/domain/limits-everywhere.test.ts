/**
 * validatePlan holds PLAN_LIMITS, and every way a plan comes in ends in it: the `hoshin`
 * command, text and JSON documents (parseDocument, used by uploads and the JSON API) and the
 * editor's form. One refusal of each kind down each path, with the field and line it names.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/domain/diagnostic.ts';
import { PLAN_LIMITS } from '../../src/domain/limits.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { validatePlan } from '../../src/domain/validate.ts';
import { parseDocument, renderDocument, type FormatName } from '../../src/formats/index.ts';
import { parseAmount, planFromForm, type FormFields } from '../../src/server/editor/plan-form.ts';
import { EditorForm } from '../../src/server/views/editor-form.tsx';
import { fieldState } from '../../src/server/views/form-fields.tsx';
import { formFieldsOf } from '../server/harness.ts';
import { buildPlan } from '../support/build-plan.ts';

const BIN = fileURLToPath(new URL('../../bin/hoshin.js', import.meta.url));
const TITLE = 'issues[1].strategies[1].initiatives[0].title';
const BUDGET = 'issues[1].strategies[1].initiatives[0].budgetThousandYen';
const CM_BUDGET = 'issues[1].strategies[1].initiatives[0].cmBudgetThousandYen';
const longTitle = 'あ'.repeat(1_234);
const titleMessage = '具体的取組2-4-2の題名は200文字以内にしてください(現在 1,234文字)';

/** buildPlan with one initiative's title replaced. */
function planWithTitle(title: string): Plan {
  const plan = buildPlan();
  plan.issues[1]!.strategies[1]!.initiatives[0]!.title = title;
  return plan;
}

/** 1,001 initiatives over 11 strategies, each strategy within its own limit. */
function planWithTooManyInitiatives(): Plan {
  const plan = buildPlan();
  plan.issues[0]!.strategies = Array.from({ length: 11 }, (_, j) => ({
    number: `1-${j + 1}`, title: '戦略', description: '',
    initiatives: Array.from({ length: j === 10 ? 1 : 100 }, (_, k) => ({
      number: `1-${j + 1}-${k + 1}`, title: '取組', budgetThousandYen: null, cmBudgetThousandYen: null, description: '',
    })),
  }));
  plan.issues[1]!.strategies = [];
  return plan;
}

const bytesOf = (plan: Plan, format: FormatName) => new TextEncoder().encode(renderDocument(plan, format));
const errorsOf = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error');

describe('text and JSON documents (parseDocument: uploads, the JSON API, the CLI)', () => {
  for (const format of ['text', 'json'] as const) {
    it(`${format}: a title over its limit is refused at its field and line`, () => {
      const { plan, diagnostics } = parseDocument(bytesOf(planWithTitle(longTitle), format), `plan.${format === 'json' ? 'json' : 'txt'}`);
      expect(plan).toBeUndefined();
      expect(errorsOf(diagnostics)).toEqual([{ severity: 'error', field: TITLE, line: expect.any(Number), message: titleMessage }]);
    });

    it(`${format}: more initiatives than a plan may hold are refused`, () => {
      const { plan, diagnostics } = parseDocument(bytesOf(planWithTooManyInitiatives(), format), `plan.${format === 'json' ? 'json' : 'txt'}`);
      expect(plan).toBeUndefined();
      expect(errorsOf(diagnostics).map((d) => d.message)).toEqual(['具体的取組は文書全体で1,000件以内にしてください(現在 1,001件)']);
    });
  }

  it('text: a NUL never reaches a plan (the decoder refuses it, with its line)', () => {
    const bytes = bytesOf(buildPlan(), 'text');
    const at = bytes.indexOf(0x0a) + 1;
    const withNul = new Uint8Array([...bytes.subarray(0, at + 3), 0, ...bytes.subarray(at + 3)]);
    const { plan, diagnostics } = parseDocument(withNul, 'plan.txt');
    expect(plan).toBeUndefined();
    expect(diagnostics[0]!.message).toMatch(/バイナリ|制御文字/);
  });

  it('text: a form feed inside a value is refused at its field', () => {
    const text = renderDocument(buildPlan(), 'text').replace('保育サービスの充実', '保育サービス\fの充実');
    const { diagnostics } = parseDocument(new TextEncoder().encode(text), 'plan.txt');
    expect(errorsOf(diagnostics)).toEqual([expect.objectContaining({ field: 'issues[1].strategies[0].initiatives[0].title', message: expect.stringContaining('制御文字(U+000C)') })]);
  });
});

describe('the hoshin command', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoshin-limits-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const check = (file: string) =>
    new Promise<{ code: number; stderr: string }>((resolve, reject) => {
      execFile(process.execPath, [BIN, 'check', file], { cwd: dir, env: { ...process.env, HOSHIN_DEBUG: '', NO_COLOR: '1' }, timeout: 60_000 }, (err, _stdout, stderr) => {
        if (err && typeof err.code !== 'number') reject(err);
        else resolve({ code: err ? (err.code as number) : 0, stderr });
      });
    });

  it('check refuses a text file over a limit, with FILE:LINE and the message', async () => {
    await writeFile(join(dir, 'long-title.txt'), bytesOf(planWithTitle(longTitle), 'text'));
    const { code, stderr } = await check('long-title.txt');
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^long-title\\.txt:\\d+: ${titleMessage.replace(/[()]/g, '\\$&')}$`, 'm'));
  });

  it('check refuses a JSON file with a NUL and one with too many initiatives', async () => {
    await writeFile(join(dir, 'nul.json'), renderDocument(planWithTitle('保育\u0000サービス'), 'json'));
    await writeFile(join(dir, 'many.json'), bytesOf(planWithTooManyInitiatives(), 'json'));
    const nul = await check('nul.json');
    expect(nul.code).toBe(1);
    expect(nul.stderr).toMatch(/^nul\.json:\d+: 具体的取組2-4-2の題名に制御文字\(U\+0000\)が含まれています$/m);
    const many = await check('many.json');
    expect(many.code).toBe(1);
    expect(many.stderr).toContain('具体的取組は文書全体で1,000件以内にしてください(現在 1,001件)');
  });
});

describe('the editor form (planFromForm, then validatePlan as the editor does)', () => {
  const fixed = { organization: '西区', fiscalYear: 2017 };
  let fields: FormFields;
  beforeAll(async () => {
    const html = String(await EditorForm({ action: '/x', plan: buildPlan(), baseRevision: 1, csrfToken: 't', diagnostics: [], state: fieldState([]) }));
    fields = formFieldsOf(html, '/x');
    expect(fields[TITLE]).toBe('地域における見守り活動の支援');
  });
  const submit = (changes: FormFields) => {
    const { plan, problems, raw } = planFromForm({ ...fields, ...changes }, fixed);
    return { problems: [...problems, ...validatePlan(plan)].filter((d) => d.severity === 'error'), raw };
  };

  it('refuses a title over its limit and a NUL in a title, at the field', () => {
    expect(submit({ [TITLE]: longTitle }).problems).toEqual([{ severity: 'error', field: TITLE, message: titleMessage }]);
    expect(submit({ [TITLE]: '見守り\u0000活動' }).problems).toEqual([
      { severity: 'error', field: TITLE, message: '具体的取組2-4-2の題名に制御文字(U+0000)が含まれています' },
    ]);
  });

  it('says what is wrong with an amount, and shows it back as typed', () => {
    const said = (value: string, field = BUDGET) => {
      const { problems, raw } = submit({ [field]: value });
      expect(problems.map((d) => d.field)).toEqual([field]);
      expect(raw.get(field)).toBe(value);
      return problems[0]!.message;
    };
    expect(said('-5')).toBe('具体的取組2-4-2の予算額は0以上の数で入力してください(現在 「-5」)');
    expect(said('△1,000')).toBe('具体的取組2-4-2の予算額は0以上の数で入力してください(現在 「△1,000」)');
    expect(said('99999999999999999')).toBe('具体的取組2-4-2の予算額が大きすぎます(上限 99,999,999,999千円、現在 「99999999999999999」)');
    expect(said('1.5', CM_BUDGET)).toBe('具体的取組2-4-2の区CM予算額は千円単位の整数で入力してください(現在 「1.5」)');
    expect(said('二万')).toBe('具体的取組2-4-2の予算額「二万」は数値ではありません(千円単位の数で入力してください)');
    expect(submit({ [BUDGET]: '99,999,999,999' }).problems).toEqual([]);
    expect(submit({ [BUDGET]: '０' }).problems).toEqual([]);
  });

  it('parseAmount reads signs and fractions as written', () => {
    expect(parseAmount('-5')).toBe(-5);
    expect(parseAmount('▲５')).toBe(-5);
    expect(parseAmount('-0')).toBe(0);
    expect(parseAmount('1.5千円')).toBe(1.5);
    expect(parseAmount('1e5')).toBeUndefined();
    expect(parseAmount('--5')).toBeUndefined();
  });

  it('holds the plan-wide limits too', () => {
    const many: FormFields = {};
    for (let k = 0; k < PLAN_LIMITS.plan.initiatives + 1; k++) {
      const j = Math.floor(k / 100);
      many[`issues[0].strategies[${j}].number`] = String(j + 1);
      many[`issues[0].strategies[${j}].title`] = '戦略';
      many[`issues[0].strategies[${j}].initiatives[${k % 100}].number`] = String((k % 100) + 1);
      many[`issues[0].strategies[${j}].initiatives[${k % 100}].title`] = '取組';
    }
    const { problems } = submit(many);
    // 1,001 in issue 1 (replacing its one initiative), and issue 2's three.
    expect(problems.map((d) => d.message)).toEqual(['具体的取組は文書全体で1,000件以内にしてください(現在 1,004件)']);
  });
});
