import { error, warning, type Diagnostic } from '../../domain/diagnostic.ts';
import type { Indicator, Initiative, ManagementIssue, Reform, Strategy } from '../../domain/plan.ts';
import { parseBudgetAmount } from '../budget-units.ts';
import type { SourceMap } from '../source-map.ts';
import { fold } from './fold.ts';
import type { Heading } from './headings.ts';
import { isBlank, looksLikeHeading, type SourceLine } from './lines.ts';
import type { BlockField, BlockRules, LayoutProfile } from './profiles/types.ts';

/**
 * 様式2 written as blocks (every family but the seed's PDF table): a heading line per issue,
 * strategy and initiative, label lines (課題認識, アウトカム指標 …) opening their parts. The
 * profile's patterns say which line is which; this reader only files text where they say.
 * A line that looks like a heading but fits no pattern is an error at its line.
 */

type Level = 'issue' | 'strategy' | 'initiative';

/** Where each field lives and how its lines are joined. */
const FIELDS: Record<Exclude<BlockField, 'ignore' | 'strategies'>, { level: Level; kind: 'line' | 'text' | 'budget' | 'sdgs' | 'indicators'; name: string }> = {
  summary: { level: 'issue', kind: 'line', name: '経営課題の概要' },
  vision: { level: 'issue', kind: 'text', name: 'めざすべき将来像' },
  currentState: { level: 'issue', kind: 'text', name: '現状(課題認識)' },
  causeAnalysis: { level: 'issue', kind: 'text', name: '要因分析' },
  challenge: { level: 'issue', kind: 'text', name: '課題' },
  issueBudget: { level: 'issue', kind: 'budget', name: '予算額' },
  sdgs: { level: 'issue', kind: 'sdgs', name: '関連するSDGs' },
  issueOutcomeIndicators: { level: 'issue', kind: 'indicators', name: 'アウトカム指標' },
  strategyDescription: { level: 'strategy', kind: 'line', name: '戦略の内容' },
  targetState: { level: 'strategy', kind: 'text', name: 'めざす状態' },
  strategyOutcomeIndicators: { level: 'strategy', kind: 'indicators', name: 'アウトカム指標' },
  initiativeDescription: { level: 'initiative', kind: 'line', name: '取組内容' },
  processIndicators: { level: 'initiative', kind: 'indicators', name: '業績目標' },
  priorResults: { level: 'initiative', kind: 'text', name: '前年度までの実績' },
  exitCriterion: { level: 'initiative', kind: 'text', name: '撤退・再構築基準' },
};

const withIndices = new WeakMap<RegExp, RegExp>();
/** The pattern with the `d` flag, so a title found in the folded line is sliced from the original. */
function indexed(r: RegExp): RegExp {
  let d = withIndices.get(r);
  if (!d) {
    d = r.flags.includes('d') ? r : new RegExp(r.source, `${r.flags}d`);
    withIndices.set(r, d);
  }
  return d;
}

interface Match {
  groups: Record<string, string | undefined>;
  /** Group text sliced from the original line (widths kept). */
  original: (name: string) => string | undefined;
}

/** The first pattern matching the line, tried as written and without a list mark in front. */
function matchLine(line: string, patterns: readonly RegExp[], profile: LayoutProfile, bulleted = true): Match | undefined {
  const trimmed = line.trim();
  const folded = fold(trimmed);
  const bullet = bulleted ? profile.bullet.exec(folded) : null;
  const starts = bullet && bullet[0] !== '' ? [0, bullet[0].length] : [0];
  for (const at of starts) {
    for (const p of patterns) {
      const m = indexed(p).exec(folded.slice(at));
      if (!m) continue;
      const groups = m.groups ?? {};
      return {
        groups,
        original: (name) => {
          const range = m.indices?.groups?.[name];
          return range ? trimmed.slice(at + range[0], at + range[1]).trim() : undefined;
        },
      };
    }
  }
  return undefined;
}

interface Open {
  field: BlockField;
  lines: SourceLine[];
  line: number;
}

export function parseIssueBlocks(
  lines: SourceLine[],
  rules: BlockRules,
  profile: LayoutProfile,
  fiscalYear: number,
  diagnostics: Diagnostic[],
  sourceMap: SourceMap,
  /** Receives the lines before the first issue where the rules send them to the policy. */
  lead: SourceLine[] = [],
): ManagementIssue[] {
  const bulleted = rules.bulletedHeadings ?? true;
  const issues: ManagementIssue[] = [];
  let issue: ManagementIssue | undefined;
  let strategy: Strategy | undefined;
  let initiative: Initiative | undefined;
  let open: Open | undefined;
  /** The issue number as written (経営課題1-(2) → 1), which strategy numbers repeat. */
  let writtenIssue = 0;
  /** Whether a 主な戦略 label has opened the current issue's list of strategies. */
  let listing = false;
  /** Whether the current issue is a sub-issue, renumbered: its strategies are numbered by order too. */
  let renumbered = false;
  /** Whether a sub-issue (経営課題1-(2)) has been read: issues are then numbered by their order. */
  let bySubIssues = false;
  /** Whether the current issue was implied by a strategy (no issue heading). */
  let impliedIssue = false;
  /** The strategy number as written (1-2), which initiative numbers repeat. */
  let writtenStrategy = '';
  const path = (level: Level): string => {
    const i = issues.length - 1;
    if (level === 'issue') return `issues[${i}]`;
    const s = issue!.strategies.length - 1;
    if (level === 'strategy') return `issues[${i}].strategies[${s}]`;
    return `issues[${i}].strategies[${s}].initiatives[${strategy!.initiatives.length - 1}]`;
  };

  const close = () => {
    if (!open) return;
    const o = open;
    open = undefined;
    if (o.field === 'ignore' || o.field === 'strategies') return;
    const spec = FIELDS[o.field];
    const content = o.lines.filter((l) => !isBlank(l.text));
    if (content.length === 0) return;
    const target = spec.level === 'issue' ? issue : spec.level === 'strategy' ? strategy : initiative;
    if (!target) {
      diagnostics.push(error(`「${spec.name}」がどの${spec.level === 'issue' ? '経営課題' : spec.level === 'strategy' ? '戦略' : '具体的取組'}のものか分かりません`, { line: content[0]!.line }));
      return;
    }
    const at = `${path(spec.level)}.${o.field === 'issueBudget' ? 'budgetThousandYen' : o.field}`;
    const texts = content.map((l) => stripMark(l.text, profile));
    switch (spec.kind) {
      case 'line':
      case 'text': {
        const key = fieldKey(o.field);
        const joined = texts.join(spec.kind === 'line' ? '' : '\n');
        const record = target as unknown as Record<string, unknown>;
        const before = record[key];
        record[key] = typeof before === 'string' && before !== '' ? `${before}${spec.kind === 'line' ? '' : '\n'}${joined}` : joined;
        if (!sourceMap.has(fieldPath(path(spec.level), key))) sourceMap.set(fieldPath(path(spec.level), key), o.line);
        break;
      }
      case 'budget': {
        const amount = readBudget(texts.join(''), `経営課題${issue!.number}の予算額`, content[0]!.line, diagnostics);
        if (amount === undefined) return;
        const current = issue!.budgetThousandYen;
        if (typeof current === 'number' && amount !== null) {
          diagnostics.push(warning(`経営課題${issue!.number}に予算額が複数あります(合計して読みました)`, { line: content[0]!.line }));
          issue!.budgetThousandYen = current + amount;
        } else if (current === undefined || current === null) issue!.budgetThousandYen = amount;
        sourceMap.set(at, content[0]!.line);
        break;
      }
      case 'sdgs': {
        const goals = [...fold(texts.join(' ')).matchAll(/\d+/g)].map((m) => Number(m[0]));
        const wrong = goals.find((g) => g < 1 || g > 17);
        if (wrong !== undefined) {
          diagnostics.push(error(`関連するSDGsの番号${wrong}は1〜17のどれでもありません`, { line: content[0]!.line }));
          return;
        }
        issue!.sdgs = [...(issue!.sdgs ?? []), ...goals];
        sourceMap.set(`${path('issue')}.sdgs`, content[0]!.line);
        break;
      }
      case 'indicators': {
        const key = o.field === 'processIndicators' ? 'processIndicators' : 'outcomeIndicators';
        const record = target as unknown as Record<string, Indicator[] | undefined>;
        const list = record[key] ?? [];
        content.forEach((l, n) => {
          sourceMap.set(`${path(spec.level)}.${key}[${list.length}]`, l.line);
          list.push(readIndicator(texts[n]!, fiscalYear, l.line, diagnostics));
        });
        record[key] = list;
        break;
      }
    }
  };

  const openField = (field: Open['field'], line: number, first?: string) => {
    close();
    open = { field, lines: [], line };
    if (first !== undefined && first.trim() !== '') open.lines.push({ text: first, line });
  };

  for (const l of lines) {
    if (isBlank(l.text)) continue;
    const text = l.text;
    let m: Match | undefined;
    if ((m = matchLine(text, rules.initiative, profile, bulleted))) {
      close();
      if (!strategy || !issue) {
        diagnostics.push(error('戦略より前に具体的取組があります', { line: l.line }));
        continue;
      }
      const k = m.groups.k !== undefined ? Number(m.groups.k) : strategy.initiatives.length + 1;
      const number = `${strategy.number}-${k}`;
      const named = m.groups.i !== undefined && m.groups.s !== undefined ? `${Number(m.groups.i)}-${Number(m.groups.s)}` : undefined;
      if (named !== undefined && named !== writtenStrategy) {
        diagnostics.push(error(`具体的取組${named}-${k}が戦略${strategy.number}の下にあります`, { line: l.line }));
        continue;
      }
      initiative = { number, title: m.original('title') ?? '', budgetThousandYen: null, cmBudgetThousandYen: null, description: '' };
      const budget = m.original('budget');
      if (budget !== undefined) {
        const amount = readBudget(budget, `具体的取組${number}の予算額`, l.line, diagnostics);
        if (amount !== undefined) initiative.budgetThousandYen = amount;
      }
      strategy.initiatives.push(initiative);
      sourceMap.set(path('initiative'), l.line);
      openField(rules.defaults.initiative, l.line, m.original('rest'));
      continue;
    }
    if ((m = matchLine(text, rules.strategy, profile, bulleted) ?? (listing && !matchLine(text, rules.issue, profile, bulleted) ? matchLine(text, rules.listedStrategy ?? [], profile, bulleted) : undefined))) {
      close();
      const namedIssue = m.groups.i !== undefined ? Number(m.groups.i) : undefined;
      if (rules.impliedIssues && (!issue || (impliedIssue && namedIssue !== undefined && namedIssue !== writtenIssue))) {
        // No issue heading (bureaus): the issue the strategy's number names, titled by the strategy.
        const n = namedIssue ?? issues.length + 1;
        issue = { number: n, title: m.original('title') ?? '', summary: '', strategies: [] };
        issues.push(issue);
        sourceMap.set(path('issue'), l.line);
        writtenIssue = n;
        renumbered = false;
        impliedIssue = true;
        diagnostics.push(warning(`経営課題の見出しがないため、戦略の題名「${issue.title}」を経営課題${n}の題名として読みました`, { line: l.line }));
      }
      if (!issue) {
        diagnostics.push(error('経営課題より前に戦略があります', { line: l.line }));
        continue;
      }
      const s = m.groups.s !== undefined && !renumbered ? Number(m.groups.s) : issue.strategies.length + 1;
      if (m.groups.i !== undefined && Number(m.groups.i) !== writtenIssue) {
        diagnostics.push(error(`戦略${Number(m.groups.i)}-${s}が経営課題${writtenIssue}の下にあります`, { line: l.line }));
        continue;
      }
      if (issue.strategies.some((x) => x.number === `${issue!.number}-${s}`)) {
        diagnostics.push(error(`戦略${issue.number}-${s}が2回あります`, { line: l.line }));
        continue;
      }
      writtenStrategy = `${writtenIssue}-${m.groups.s !== undefined ? Number(m.groups.s) : s}`;
      strategy = { number: `${issue.number}-${s}`, title: m.original('title') ?? '', description: '', initiatives: [] };
      initiative = undefined;
      issue.strategies.push(strategy);
      sourceMap.set(path('strategy'), l.line);
      openField(rules.defaults.strategy, l.line, m.original('rest'));
      continue;
    }
    if ((m = matchLine(text, rules.issue, profile, bulleted))) {
      close();
      const written = m.groups.i !== undefined ? Number(m.groups.i) : undefined;
      // A sub-issue (経営課題1-(2)) is an issue of its own in the model, numbered by order.
      // Once one is seen, every issue is numbered by order, so numbers stay unique.
      if (m.groups.sub !== undefined) bySubIssues = true;
      const n = written !== undefined && !bySubIssues ? written : issues.length + 1;
      if (m.groups.sub !== undefined) {
        diagnostics.push(warning(`経営課題${written ?? ''}-(${m.groups.sub})を経営課題${n}として読みました(小課題は経営課題の1つとして番号を振り直します)`, { line: l.line }));
      } else if (written !== undefined && written !== n) {
        diagnostics.push(warning(`経営課題${written}を経営課題${n}として読みました(小課題の後の経営課題は順に番号を振り直します)`, { line: l.line }));
      }
      writtenIssue = written ?? n;
      renumbered = bySubIssues;
      impliedIssue = false;
      listing = false;
      issue = { number: n, title: m.original('title') ?? '', summary: '', strategies: [] };
      strategy = undefined;
      initiative = undefined;
      issues.push(issue);
      sourceMap.set(path('issue'), l.line);
      const budget = m.original('budget');
      if (budget !== undefined) {
        const amount = readBudget(budget, `経営課題${n}の予算額`, l.line, diagnostics);
        if (amount !== undefined) issue.budgetThousandYen = amount;
        if (amount !== undefined) sourceMap.set(`${path('issue')}.budgetThousandYen`, l.line);
      }
      openField(rules.defaults.issue, l.line, m.original('rest'));
      continue;
    }
    const label = rules.labels.find((r) => matchLine(text, [r.pattern], profile));
    if (label) {
      const lm = matchLine(text, [label.pattern], profile)!;
      const field = label.field;
      if (field === 'strategies') listing = true;
      if (field !== 'ignore' && field !== 'strategies' && !label.afterStrategies && FIELDS[field].level === 'issue' && issue && strategy) {
        // An issue's part written inside a strategy's block (2023–: 課題認識 under 経営課題1-(1)):
        // the model holds it on the issue; say so.
        diagnostics.push(warning(`「${FIELDS[field].name}」を経営課題${issue.number}の項目として読みました(戦略${strategy.number}の中にあります)`, { line: l.line }));
      }
      openField(field, l.line, lm.original('value'));
      continue;
    }
    if (looksLikeHeading(text) || /^\s*(?:【\s*)?(?:経営課題|戦略|具体的取組)\s*\d/.test(fold(text))) {
      close();
      diagnostics.push(error(`見出しのような行ですが、レイアウト ${profile.name} の経営課題・戦略・取組のどの形にも当たりません`, { line: l.line }));
      continue;
    }
    if (!open && !issue && rules.leadTo) {
      lead.push(l);
      continue;
    }
    if (!open) {
      diagnostics.push(error('経営課題の欄で、どの項目に属するか分からない行があります', { line: l.line }));
      continue;
    }
    open.lines.push(l);
  }
  close();
  return issues;
}

function fieldKey(field: BlockField): string {
  return field === 'strategyDescription' || field === 'initiativeDescription' ? 'description' : field;
}

function fieldPath(item: string, key: string): string {
  return `${item}.${key}`;
}

function stripMark(text: string, profile: LayoutProfile): string {
  const trimmed = text.trim();
  const m = profile.bullet.exec(fold(trimmed));
  return (m ? trimmed.slice(m[0].length) : trimmed).trim();
}

/** A budget as written, in 千円; null for none; undefined when refused (reported). An estimate is read with a warning. */
function readBudget(text: string, label: string, line: number, diagnostics: Diagnostic[]): number | null | undefined {
  const r = parseBudgetAmount(text, label);
  if (r === null) return null;
  if ('error' in r) {
    diagnostics.push(error(r.error, { line }));
    return undefined;
  }
  if (r.estimate) diagnostics.push(warning(`${label}「${text.trim()}」は見込額です(確定した予算額として読みました)`, { line }));
  return r.thousandYen;
}

/**
 * One indicator line: its statement as written, and a target where the line gives one
 * (「令和7年度末までに50%以上」). Without a number the statement is kept and nothing guessed.
 */
function readIndicator(text: string, fiscalYear: number, line: number, diagnostics: Diagnostic[]): Indicator {
  const indicator: Indicator = { statement: text, unit: '', direction: 'higher' };
  const f = fold(text);
  const m = /(?:(?<era>令和|平成)\s*(?<eraYear>\d{1,2}|元)|(?<gregorian>\d{4}))\s*年度末?(?:まで)?に?[^\d]*?(?<value>\d+(?:\.\d+)?)\s*(?<unit>%|ポイント|人|件|回|団体|か所|箇所|世帯|校|社)(?<dir>以上|以下|未満|超|増|減)?/.exec(f);
  if (m?.groups) {
    const g = m.groups;
    const eraYear = g.eraYear === '元' ? 1 : Number(g.eraYear);
    const year = g.gregorian ? Number(g.gregorian) : g.era === '令和' ? 2018 + eraYear : 1988 + eraYear;
    indicator.unit = g.unit!;
    indicator.direction = g.dir === '以下' || g.dir === '未満' || g.dir === '減' ? 'lower' : 'higher';
    indicator.target = { value: Number(g.value), fiscalYear: year };
    return indicator;
  }
  // A value with no year: the target of the plan's own year, a guess the user is told about.
  const bare = /(?:目標値?\s*[:：]?\s*)(?<value>\d+(?:\.\d+)?)\s*(?<unit>%|ポイント|人|件|回|団体|か所|箇所|世帯|校|社)(?<dir>以上|以下|未満|超|増|減)?/.exec(f);
  if (bare?.groups) {
    const g = bare.groups;
    indicator.unit = g.unit!;
    indicator.direction = g.dir === '以下' || g.dir === '未満' || g.dir === '減' ? 'lower' : 'higher';
    indicator.target = { value: Number(g.value), fiscalYear };
    diagnostics.push(warning(`アウトカム指標「${text}」に年度がないため、目標値${g.value}${g.unit}を${fiscalYear}年度の目標として読みました`, { line }));
  }
  return indicator;
}

/** 様式3 as blocks: a heading line per item (主な取組項目 …), its content below. */
export function parseReformBlocks(
  section: { heading: Heading; content: SourceLine[] } | undefined,
  item: readonly RegExp[],
  profile: LayoutProfile,
  diagnostics: Diagnostic[],
  sourceMap: SourceMap,
  untitledItem = false,
): Reform | null {
  if (!section) return null;
  const reform: Reform = { planName: section.heading.planName ?? '', items: [] };
  let current: { title: string; content: string[] } | undefined;
  for (const l of section.content) {
    if (isBlank(l.text)) continue;
    const m = matchLine(l.text, item, profile);
    if (!m && !current && untitledItem && !looksLikeHeading(l.text) && reform.planName !== '') {
      // Paragraphs with no item heading: one item, titled by the plan's name.
      diagnostics.push(warning(`見出しのない取組を、取組項目「${reform.planName}」として読みました`, { line: l.line }));
      current = { title: reform.planName, content: [] };
      sourceMap.set(`reform.items[${reform.items.length}]`, l.line);
      reform.items.push({ title: current.title, content: '' });
    }
    if (m) {
      current = { title: m.original('title') ?? '', content: [] };
      const rest = m.original('rest');
      if (rest) current.content.push(rest);
      sourceMap.set(`reform.items[${reform.items.length}]`, l.line);
      reform.items.push({ title: current.title, content: '' });
      continue;
    }
    if (looksLikeHeading(l.text) || !current) {
      diagnostics.push(error(`様式3の行ですが、取組項目の見出し(レイアウト ${profile.name})の形に当たりません`, { line: l.line }));
      continue;
    }
    current.content.push(stripMark(l.text, profile));
    reform.items.at(-1)!.content = current.content.join('');
  }
  return reform;
}
