import { error, hasErrors, warning, type Diagnostic } from '../../domain/diagnostic.ts';
import type { Plan, Reform } from '../../domain/plan.ts';
import { validatePlan } from '../../domain/validate.ts';
import { locate, type SourceMap } from '../source-map.ts';
import { fold, unifyRadicals } from './fold.ts';
import { classifyHeading, parseHead, parseTitle, REFORM_HEADER_ROW, type Heading, type SectionKind, type Title } from './headings.ts';
import { parseIssuesTable } from './issues-table.ts';
import { isBlank, isPageNumber, JoinedText, paragraphs, type SourceLine } from './lines.ts';

export interface TextParseResult {
  /** Undefined when any diagnostic is an error. */
  plan?: Plan;
  diagnostics: Diagnostic[];
  sourceMap: SourceMap;
}

interface Section {
  heading: Heading;
  line: number;
  content: SourceLine[];
}

const SECTION_NAMES: Record<SectionKind, string> = {
  plan: '◆計画',
  goal: '区の目標',
  mission: '区の使命',
  policy: '区運営の基本的な考え方(区長の方針)',
  issues: '重点的に取り組む主な経営課題(様式2)',
  reform: '市政改革プランに基づく取組等(様式3)',
  selfEvaluation: '◆自己評価',
  achievements: '1年間の取組成果と今後取り組みたいこと',
  challenges: '解決すべき課題と今後の改善方向',
};

/** Reads a plan in the seed's text layout (docs/plan-format.md says what varies). */
export function parseText(input: string): TextParseResult {
  const diagnostics: Diagnostic[] = [];
  const sourceMap: SourceMap = new Map();
  const allLines: SourceLine[] = unifyRadicals(input)
    .split('\n')
    .map((text, i) => ({ text, line: i + 1 }));
  // Page numbers (「- 3 -」 on a line of their own) are extraction noise between pages, like form
  // feeds: dropped, so a paragraph or table row that runs across the page break stays one.
  const lines = allLines.filter((l) => !isPageNumber(l.text));
  if (lines.every((l) => isBlank(l.text))) lines.splice(0, lines.length, ...allLines);

  const found = findTitle(lines, diagnostics);
  if (!found) return { diagnostics, sourceMap };
  const { title, index: titleIndex } = found;
  sourceMap.set('organization', lines[titleIndex]!.line);
  sourceMap.set('fiscalYear', lines[titleIndex]!.line);

  const preamble: SourceLine[] = [];
  const sections = new Map<SectionKind, Section>();
  let current: SourceLine[] = preamble;
  for (const l of lines.slice(titleIndex + 1)) {
    const heading = classifyHeading(l.text);
    if (!heading) {
      current.push(l);
      continue;
    }
    if (sections.has(heading.kind)) {
      diagnostics.push(error(`見出し「${SECTION_NAMES[heading.kind]}」が2回あります(最初は${sections.get(heading.kind)!.line}行目)`, { line: l.line }));
      current = [];
      continue;
    }
    const section: Section = { heading, line: l.line, content: [] };
    sections.set(heading.kind, section);
    current = section.content;
  }

  let head: string | null = null;
  for (const l of [...preamble, ...(sections.get('plan')?.content ?? [])]) {
    if (isBlank(l.text)) continue;
    const h = parseHead(l.text);
    if (h !== undefined && head === null) {
      head = h;
      sourceMap.set('head', l.line);
    } else {
      diagnostics.push(warning('表題と最初の見出しの間にある、読めない行を読み飛ばしました', { line: l.line }));
    }
  }

  const text = (kind: SectionKind): string => {
    const s = sections.get(kind);
    return s ? paragraphs(s.content).join('\n') : '';
  };
  const mark = (field: string, kind: SectionKind) => {
    const s = sections.get(kind);
    if (s) sourceMap.set(field, s.line);
  };

  const goalSection = sections.get('goal');
  if (!goalSection) diagnostics.push(error('「区の目標」の見出しがありません(必須の項目です)', { line: lines[titleIndex]!.line }));
  for (const kind of ['mission', 'policy', 'issues'] as const) {
    if (!sections.has(kind)) diagnostics.push(warning(`「${SECTION_NAMES[kind]}」の見出しがありません`));
  }
  if (!sections.has('selfEvaluation') && !sections.has('achievements') && !sections.has('challenges')) {
    diagnostics.push(error('「◆自己評価」の見出しがありません。文書が途中で切れていないか確かめてください', { line: allLines.length }));
  }
  const selfEvaluationIntro = sections.get('selfEvaluation')?.content.find((l) => !isBlank(l.text));
  if (selfEvaluationIntro) {
    diagnostics.push(error('「◆自己評価」の直後に、小見出しのない文章があります', { line: selfEvaluationIntro.line }));
  }

  mark('goal', 'goal');
  mark('mission', 'mission');
  mark('policy', 'policy');
  mark('issues', 'issues');
  mark('reform', 'reform');
  mark('selfEvaluation.achievements', 'achievements');
  mark('selfEvaluation.challenges', 'challenges');

  const plan: Plan = {
    organization: title.organization,
    fiscalYear: title.fiscalYear,
    documentStatus: title.documentStatus,
    head,
    goal: text('goal'),
    mission: parseMission(sections.get('mission')?.content ?? []),
    policy: text('policy'),
    issues: parseIssuesTable(sections.get('issues')?.content ?? [], title.fiscalYear, diagnostics, sourceMap),
    reform: parseReform(sections.get('reform'), diagnostics, sourceMap),
    selfEvaluation: { achievements: text('achievements'), challenges: text('challenges') },
  };
  // A missing goal heading is reported above; its emptiness would only say it again.
  const validation = validatePlan(plan).filter((d) => goalSection || d.field !== 'goal');
  // Not push(...): a document can have more problems than a call has room for arguments.
  for (const d of locate(validation, sourceMap)) diagnostics.push(d);
  return hasErrors(diagnostics) ? { diagnostics, sourceMap } : { plan, diagnostics, sourceMap };
}

function findTitle(lines: SourceLine[], diagnostics: Diagnostic[]): { title: Title; index: number } | undefined {
  const firstContent = lines.findIndex((l) => !isBlank(l.text));
  for (let i = firstContent; i >= 0 && i < lines.length; i++) {
    const l = lines[i]!;
    if (classifyHeading(l.text)) break;
    let t = parseTitle(l.text);
    let end = i;
    if (t === undefined) {
      // A title the extraction wrapped: 「令和6年度」 / 「住之江区運営方針(案)」.
      if (!/年度/.test(fold(l.text))) continue;
      let next = i + 1;
      while (next < lines.length && isBlank(lines[next]!.text)) next++;
      if (next >= lines.length || classifyHeading(lines[next]!.text)) continue;
      t = parseTitle(`${l.text.trim()}${lines[next]!.text.trim()}`);
      if (t === undefined) continue;
      end = next;
    }
    if (!t.ok) {
      diagnostics.push(error(t.message, { line: l.line }));
      return undefined;
    }
    if (i !== firstContent) diagnostics.push(warning('表題より前にある行を読み飛ばしました', { line: lines[firstContent]!.line }));
    return { title: t.title, index: end };
  }
  diagnostics.push(
    error('表題(例:「平成29年度 西区運営方針(案)」)がありません。年度・組織名・「運営方針」を含む行が必要です', {
      line: lines[Math.max(firstContent, 0)]!.line,
    }),
  );
  return undefined;
}

const BULLET = /^(?:-\s*・|[・•●○‧･◦]|-)\s*/;

/** One item per bullet, mark removed; a line with no mark continues the item before it. */
function parseMission(content: SourceLine[]): string[] {
  const hasBullets = content.some((l) => BULLET.test(fold(l.text).trim()));
  if (!hasBullets) return paragraphs(content);
  const items: string[] = [];
  let current: JoinedText | undefined;
  const flush = () => {
    const t = current?.text.trim();
    if (t) items.push(t);
    current = undefined;
  };
  for (const l of content) {
    if (isBlank(l.text)) continue;
    const trimmed = l.text.trim();
    const m = BULLET.exec(fold(trimmed));
    if (m) {
      flush();
      current = new JoinedText({ text: trimmed.slice(m[0].length), line: l.line });
    } else if (current) {
      current.append(l);
    } else {
      current = new JoinedText(l);
    }
  }
  flush();
  return items;
}

/** 様式3: rows of 主な取組項目 <tab> 取組内容, under repeated header rows. */
function parseReform(section: Section | undefined, diagnostics: Diagnostic[], sourceMap: SourceMap): Reform | null {
  if (!section) return null;
  const reform: Reform = { planName: section.heading.planName ?? '', items: [] };
  const rows: JoinedText[] = [];
  let current: JoinedText | undefined;
  for (const l of section.content) {
    if (isBlank(l.text)) continue;
    if (REFORM_HEADER_ROW.test(fold(l.text).trim())) {
      current = undefined;
      continue;
    }
    const hasTab = l.text.trim().includes('\t');
    if (!current || (hasTab && current.text.includes('\t'))) {
      current = new JoinedText(l);
      rows.push(current);
    } else {
      current.append(l);
    }
  }
  for (const row of rows) {
    const tab = row.text.indexOf('\t');
    if (tab < 0) {
      diagnostics.push(error('様式3の行に、取組項目と取組内容を区切るタブがありません', { line: row.line }));
      continue;
    }
    sourceMap.set(`reform.items[${reform.items.length}]`, row.line);
    reform.items.push({ title: row.text.slice(0, tab).trim(), content: row.text.slice(tab + 1).trim() });
  }
  return reform;
}
