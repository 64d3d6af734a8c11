/** Layout profiles: which one each fixture is detected as, forcing one, and lines that fit no rule. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDocument } from '../../../src/formats/index.ts';
import { parseText } from '../../../src/formats/text/parse.ts';

const read = (name: string) => readFileSync(`test/fixtures/text/${name}`, 'utf8');

describe('detection', () => {
  it.each([
    ['osaka-nishi-2017.txt', 'osaka-2017'],
    ['osaka-nishinari-2020-pdftotext.txt', 'osaka-2017'],
    ['osaka-suminoe-2024-wrapped.txt', 'osaka-2017'],
    ['osaka-minamihama-2021.txt', 'osaka-2020'],
    ['osaka-kitahama-2014.txt', 'osaka-2013'],
    ['osaka-kitahama-2014-web.txt', 'osaka-2013'],
    ['osaka-minamihama-2021-web.txt', 'osaka-2020'],
    ['osaka-higashihama-2024.txt', 'osaka-2023'],
    ['osaka-higashihama-2024-web.txt', 'osaka-2023'],
    ['osaka-mizube-2024.txt', 'osaka-bureau'],
    ['osaka-mizube-2024-web.txt', 'osaka-bureau'],
    ['yokohama-higashihama-2024.txt', 'yokohama'],
    ['yokohama-higashihama-2024-web.txt', 'yokohama'],
    ['fukuoka-higashi-2024.txt', 'fukuoka'],
    ['fukuoka-higashi-2024-web.txt', 'fukuoka'],
  ])('%s reads as %s', (name, layout) => {
    const r = parseText(read(name));
    expect(r.layout).toBe(layout);
    expect(r.plan).toBeDefined();
  });

  it('--layout forces a profile: the 2020 document read as the seed layout is refused, not misread', () => {
    const r = parseText(read('osaka-minamihama-2021.txt'), { layout: 'osaka-2017' });
    expect(r.layout).toBe('osaka-2017');
    expect(r.plan).toBeUndefined();
  });

  it('an unknown --layout is an error naming the layouts there are', () => {
    const r = parseText(read('osaka-nishi-2017.txt'), { layout: 'tokyo' });
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics[0]!.message).toContain('osaka-2017、osaka-2013、osaka-2020、osaka-2023、osaka-bureau、yokohama、sakai、fukuoka');
  });
});

describe('never misplace silently', () => {
  const doc = read('osaka-minamihama-2021.txt');
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('a bracketed line in 様式2 that is no issue, strategy or initiative is an error at its line', () => {
    const text = doc.replace('【主な戦略 街頭犯罪の抑止】', '【主要戦略 街頭犯罪の抑止】');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '【主要戦略') }));
  });

  it('a bracketed line in the policy is an error at its line, not policy text', () => {
    const text = doc.replace('区将来ビジョンのもと、', '【南浜区政3本柱】\n区将来ビジョンのもと、');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '【南浜区政3本柱】') }));
  });

  it('an unreadable initiative budget is an error at its line', () => {
    const text = doc.replace('(1,200千円)', '(1,2O0千円)');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.line === lineOf(text, '1,2O0'))).toBe(true);
  });
});

describe('osaka-2023: the /2 fields, as written by hand', () => {
  const r = parseText(read('osaka-higashihama-2024-web.txt'));
  const plan = r.plan!;

  it('reads sub-issues as issues numbered by order, each renumbering a warning at its line', () => {
    expect(plan.issues.map((i) => [i.number, i.title])).toEqual([
      [1, '地域防災力の向上'],
      [2, '地域の見守り'],
      [3, '子育てしやすいまち'],
    ]);
    expect(r.diagnostics.filter((d) => d.message.includes('として読みました(小課題')).map((d) => d.line)).toEqual([34, 58, 73]);
  });

  it('reads 課題認識, issue budgets in 千万/百万円, SDGs and the three evaluation parts', () => {
    expect(plan.issues[0]!.currentState).toBe('個別避難計画の作成が進んでいない。\n若い世代の防災訓練への参加が少ない。');
    expect(plan.issues.map((i) => i.budgetThousandYen)).toEqual([54000, undefined, 65000]);
    expect(plan.issues.map((i) => i.sdgs)).toEqual([[11, 13], undefined, [3, 4]]);
    expect(plan.selfEvaluation.quantitative).toBe('個別避難計画の作成率は42%で、目標に届かなかった。');
    expect(plan.selfEvaluation.qualitative).toBe('防災と子育ての両面で、地域と連携した取組が進んだ。');
    expect(plan.selfEvaluation.outlook).toBe('計画作成の支援体制を見直し、作成率の向上を図る。');
  });

  it('reads an indicator target with its year; without a year the plan\'s year is a warning', () => {
    const [a, b] = plan.issues[0]!.outcomeIndicators!;
    expect(a!.target).toEqual({ value: 50, fiscalYear: 2025 });
    expect(b!.target).toEqual({ value: 30, fiscalYear: 2024 });
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', line: 54 }));
    expect(plan.issues[1]!.outcomeIndicators![0]).toEqual({ statement: '見守り活動に参加する団体数を増やす。', unit: '', direction: 'higher' });
  });

  it('strategies: 1-1 title, ①【title】, and 【title】 only after 主な戦略', () => {
    expect(plan.issues.map((i) => i.strategies.map((s) => `${s.number} ${s.title}`))).toEqual([
      ['1-1 個別避難計画の作成支援', '1-2 防災訓練への参加促進'],
      ['2-1 見守りネットワークの強化'],
      ['3-1 子育て相談の充実'],
    ]);
  });
});

describe('osaka-2023: never misplace silently', () => {
  const doc = read('osaka-higashihama-2024-web.txt');
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('a bracketed line before any 主な戦略 label is an error at its line, not a strategy', () => {
    const text = doc.replace('課題認識\n\n  • 子育て世帯の転出が多い。', '【子育て世帯の状況】\n\n課題認識\n\n  • 子育て世帯の転出が多い。');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '【子育て世帯の状況】') }));
  });

  it('an SDGs number outside 1–17 is an error at its line', () => {
    const text = doc.replace('関連するSDGs 11, 13', '関連するSDGs 11, 18');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '11, 18') }));
  });

  it('an unreadable issue budget is an error at its line', () => {
    const text = doc.replace('5千4百万円', '5千4百万ドル');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '万ドル') }));
  });

  it('a strategy numbered for another issue is an error at its line', () => {
    const text = doc.replace('1-2 防災訓練への参加促進', '2-2 防災訓練への参加促進');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '2-2 防災訓練') }));
  });
});

describe('osaka-bureau: strategies without an issue heading', () => {
  const doc = read('osaka-mizube-2024.txt');
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('each issue number a strategy names becomes an issue titled by its first strategy, a warning at that line', () => {
    const r = parseText(doc);
    expect(r.plan!.issues.map((i) => [i.number, i.title, i.strategies.map((s) => s.number)])).toEqual([
      [1, '施設の長寿命化', ['1-1', '1-2']],
      [2, '水辺のにぎわいづくり', ['2-1']],
    ]);
    expect(r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.line)).toEqual([lineOf(doc, '【戦略1-1'), lineOf(doc, '【戦略2-1')]);
  });

  it('text under 【全体概要】 is an error at its line, not policy or issue text', () => {
    const text = doc.replace('【全体概要】\n', '【全体概要】\n水辺の将来像を示す。\n');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '水辺の将来像') }));
  });

  it('a bracketed strategy-like line with no number is an error at its line', () => {
    const text = doc.replace('【戦略 1-2 点検の効率化】', '【戦略 点検の効率化】');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '【戦略 点検') }));
  });

  it('an initiative numbered for another strategy is an error at its line', () => {
    const text = doc.replace('【具体的取組2-1-1】', '【具体的取組1-1-2】');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '【具体的取組1-1-2】') }));
  });
});

describe('yokohama', () => {
  const doc = read('yokohama-higashihama-2024.txt');
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('PDF text with no line breaks (T U V run into it): slogan and explanation cut at the last space before the first 。, a warning', () => {
    const oneLine = doc.trim().split('\n').join(' ');
    const r = parseText(oneLine);
    expect(r.layout).toBe('yokohama');
    expect(r.partial!.organization).toBe('東浜区');
    expect(r.partial!.goal).toBe('みんなでつくる 笑顔のまち東浜 ~住んで良し、訪れて良し~');
    expect(r.partial!.policy).toBe('地域の防災力を高め、子育てしやすいまちをつくります。 区民の皆さまとともに、脱炭素のまちづくりを進めます。');
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', line: 1, message: expect.stringContaining('最初の「。」の前の空白で区切りました') }));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('the introduction of 施策 is kept as mission items, with a warning at its line', () => {
    const r = parseText(doc);
    expect(r.plan!.mission.slice(0, 2)).toEqual(['「基本目標」の達成に向け、「3つの柱」のもと事業を推進します。', '横浜市中期計画2022〜2025']);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', line: lineOf(doc, '「3つの柱」') }));
  });

  it('a bracketed line in 施策 is an error at its line, not a pillar or its text', () => {
    const text = doc.replace('2 子育てしやすいまちづくり', '【重点施策】\n2 子育てしやすいまちづくり');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '【重点施策】') }));
  });

  it('a bracketed line in 基本目標 is an error at its line, not goal or policy text', () => {
    const text = doc.replace('~住んで良し、訪れて良し~', '~住んで良し、訪れて良し~\n【区長メッセージ】');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '【区長メッセージ】') }));
  });
});

describe('sakai: a title with no year', () => {
  const yearless = (name: string) => readFileSync(`test/fixtures/text/yearless/${name}`, 'utf8');
  const golden = (name: string) => readFileSync(`test/fixtures/golden/${name}`, 'utf8');

  it.each(['sakai-higashiku-2024', 'sakai-higashiku-2024-web'])('%s reads, with the year given, into its golden JSON', (name) => {
    const r = parseText(yearless(`${name}.txt`), { fiscalYear: 2024 });
    expect(r.layout).toBe('sakai');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(renderDocument(r.plan!, 'json')).toBe(golden(`${name}.json`));
  });

  it('without the year, is refused at its title line, naming what is missing', () => {
    const text = yearless('sakai-higashiku-2024-web.txt');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', line: text.split('\n').indexOf('東区役所') + 1, message: expect.stringContaining('年度がありません') }),
    ]);
  });

  it('a bracketed line in the reform section is an error at its line, not an item', () => {
    const text = yearless('sakai-higashiku-2024.txt').replace('職員の働き方改革', '【職員の働き方改革】');
    const r = parseText(text, { fiscalYear: 2024 });
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: text.split('\n').indexOf('【職員の働き方改革】') + 1 }));
  });
});

describe('fukuoka: the ward before the year, issues with no heading of their own', () => {
  const doc = read('fukuoka-higashi-2024.txt');
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('目標1 opens the issues and is issue 1; ◆ lines are its strategies, numbered by order', () => {
    const r = parseText(doc);
    expect(r.plan!.issues.map((i) => [i.number, i.title, i.strategies.map((s) => `${s.number} ${s.title}`)])).toEqual([
      [1, '安心して暮らせるまちづくり', ['1-1 見守りの仕組みづくり', '1-2 防災意識の向上']],
      [2, '海辺のにぎわいづくり', ['2-1 海辺のイベントの開催']],
    ]);
    expect(r.sourceMap.get('issues')).toBe(lineOf(doc, '目標1'));
  });

  it('a bracketed line in the issues is an error at its line, not a strategy\'s text', () => {
    const text = doc.replace('防災訓練への参加を呼びかけます。', '防災訓練への参加を呼びかけます。\n【重点取組】');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '【重点取組】') }));
  });

  it('a bracketed line in the policy is an error at its line', () => {
    const text = doc.replace('「支え合い、安心して暮らせるまち」をめざします。', '【区長あいさつ】\n「支え合い、安心して暮らせるまち」をめざします。');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '【区長あいさつ】') }));
  });
});
