import { error, hasErrors, warning, type Diagnostic } from '../../domain/diagnostic.ts';
import type { Plan, Reform } from '../../domain/plan.ts';
import { validatePlan } from '../../domain/validate.ts';
import { locate, type SourceMap } from '../source-map.ts';
import { fold, unifyRadicals } from './fold.ts';
import { parseIssueBlocks, parseReformBlocks } from './blocks.ts';
import { classifyHeading, parseHead, parseTitle, REFORM_HEADER_ROW, type Heading, type SectionKind, type Title, type TitleResult } from './headings.ts';
import { parseIssuesTable } from './issues-table.ts';
import { isBlank, isPageNumber, JoinedText, looksLikeHeading, paragraphs, type SourceLine } from './lines.ts';
import { asWebCopy, WEB_PAGE_SIGNS } from './profiles/common.ts';
import { detectLayout, findProfile, LAYOUT_NAMES, PROFILES, type HeadingRule, type LayoutProfile } from './profiles/index.ts';

/** 様式2's two-column header row (経営課題の概要 <tab> 主な戦略): the seed's table, in any profile. */
const ISSUES_TABLE_HEADER = /^経営課題の概要\s*\t\s*主な戦略$/;

export interface TextParseResult {
  /** Undefined when any diagnostic is an error. */
  plan?: Plan;
  /** The plan as read even when refused (undefined when there is no title): for tests of cut documents, never to store. */
  partial?: Plan;
  diagnostics: Diagnostic[];
  sourceMap: SourceMap;
  /** The layout profile the document was read with (detected or forced); undefined when the name forced is unknown. */
  layout?: string;
}

export interface TextParseOptions {
  /** A profile name (LAYOUT_NAMES) to read with instead of detecting one. */
  layout?: string;
  /**
   * The fiscal year, for a layout whose title has none (Sakai's 組織運営方針). Ignored when the
   * title gives one.
   */
  fiscalYear?: number;
}

interface Section {
  heading: Heading;
  line: number;
  content: SourceLine[];
}

const SECTION_NAMES: Record<SectionKind, string> = {
  plan: '◆計画',
  overview: '全体概要',
  goal: '区の目標',
  mission: '区の使命',
  policy: '区運営の基本的な考え方(区長の方針)',
  issues: '重点的に取り組む主な経営課題(様式2)',
  reform: '市政改革プランに基づく取組等(様式3)',
  selfEvaluation: '◆自己評価',
  achievements: '1年間の取組成果と今後取り組みたいこと',
  challenges: '解決すべき課題と今後の改善方向',
  quantitative: 'アウトカム指標の達成状況(定量評価)',
  qualitative: '自己評価(運営方針全体の定性評価)',
  outlook: '今後の方針',
};

/**
 * Reads a plan in any layout Hoshin knows (./profiles/): the one named by `options.layout`, or
 * the one detected (docs/plan-format-notes.md says what each family varies).
 */
export function parseText(input: string, options: TextParseOptions = {}): TextParseResult {
  const diagnostics: Diagnostic[] = [];
  const sourceMap: SourceMap = new Map();
  const allLines: SourceLine[] = unifyRadicals(input)
    .split('\n')
    .map((text, i) => ({ text, line: i + 1 }));
  let profile: LayoutProfile;
  if (options.layout !== undefined) {
    const forced = findProfile(options.layout);
    if (!forced) {
      diagnostics.push(error(`レイアウト「${options.layout}」はありません(使えるもの: ${LAYOUT_NAMES.join('、')})`));
      return { diagnostics, sourceMap };
    }
    profile = forced;
  } else {
    profile = detectLayout(allLines.map((l) => l.text), titleYear(allLines)).profile;
  }
  // A copy of a web page has no wrapped lines: each line is one of the page, each list item one line.
  const web = allLines.some((l) => {
    const t = fold(l.text).trim();
    return t.length < 40 && WEB_PAGE_SIGNS.some((s) => s.test(t));
  });
  const result = parseWithProfile(allLines, web ? asWebCopy(profile) : profile, diagnostics, sourceMap, options.fiscalYear);
  return { ...result, layout: profile.name };
}

/** The fiscal year of the first line any profile reads as a title (for detection only). */
function titleYear(lines: SourceLine[]): number | undefined {
  const shapes = PROFILES.flatMap((p) => p.titles);
  let looked = 0;
  for (const l of lines) {
    if (isBlank(l.text)) continue;
    if (++looked > 60) break;
    const t = parseTitle(l.text, shapes);
    if (t?.ok) return t.title.fiscalYear;
  }
  return undefined;
}

/** Headings run into a line (profile.inlineHeadings) cut out as lines of their own, with the line's number. */
function splitInlineHeadings(lines: SourceLine[], pattern: RegExp | undefined): SourceLine[] {
  if (!pattern) return lines;
  const global = new RegExp(pattern.source, pattern.flags.replace(/[gd]/g, '') + 'gd');
  return lines.flatMap((l) => {
    const folded = fold(l.text);
    const out: SourceLine[] = [];
    let from = 0;
    for (const m of folded.matchAll(global)) {
      const range = m.indices?.groups?.heading;
      if (!range) continue;
      const before = l.text.slice(from, range[0]);
      if (!isBlank(before)) out.push({ text: before.trim(), line: l.line });
      out.push({ text: l.text.slice(range[0], range[1]), line: l.line });
      from = range[1];
    }
    if (out.length === 0) return [l];
    const after = l.text.slice(from);
    if (!isBlank(after)) out.push({ text: after.trim(), line: l.line });
    return out;
  });
}

/**
 * A section holding two fields (HeadingRule.split): its first line and the `keep` lines after it
 * stay; the rest is moved to the section `rest` names. A single line is cut at the last space
 * before its first 。 when the rule allows it, with a warning.
 */
function splitSection(section: Section, rule: NonNullable<HeadingRule['split']>, sections: Map<SectionKind, Section>, diagnostics: Diagnostic[]): void {
  const content = section.content.filter((l) => !isBlank(l.text));
  if (content.length === 0) return;
  let stay = 1;
  while (stay < content.length && rule.keep?.test(fold(content[stay]!.text).trim())) stay++;
  const rest = content.slice(stay);
  if (content.length === 1 && rule.atSentence) {
    const only = content[0]!;
    const text = only.text.trim();
    const period = text.indexOf('。');
    const cut = period < 0 ? -1 : Math.max(text.lastIndexOf(' ', period), text.lastIndexOf('\u3000', period));
    if (cut > 0) {
      content[0] = { text: text.slice(0, cut), line: only.line };
      rest.push({ text: text.slice(cut + 1), line: only.line });
      diagnostics.push(
        warning(`「${text.slice(0, cut)}」までを${SECTION_NAMES[section.heading.kind]}、その後を${SECTION_NAMES[rule.rest]}として読みました(最初の「。」の前の空白で区切りました)`, { line: only.line }),
      );
    }
  }
  section.content = content.slice(0, stay);
  if (rest.length === 0) return;
  const target = sections.get(rule.rest);
  if (target) {
    diagnostics.push(error(`見出し「${SECTION_NAMES[rule.rest]}」が2回あります(最初は${section.line}行目)`, { line: target.line }));
    return;
  }
  sections.set(rule.rest, { heading: { kind: rule.rest }, line: rest[0]!.line, content: rest });
}

function parseWithProfile(allLines: SourceLine[], profile: LayoutProfile, diagnostics: Diagnostic[], sourceMap: SourceMap, givenYear?: number): TextParseResult {
  // Page numbers (「- 3 -」 on a line of their own) are extraction noise between pages, like form
  // feeds: dropped, so a paragraph or table row that runs across the page break stays one. So is
  // the boilerplate of a web page (ページの先頭へ戻る).
  const isNoise = (text: string) => {
    if (isPageNumber(text)) return true;
    const t = fold(text).trim();
    return t !== '' && profile.noise.some((n) => n.test(t));
  };
  const lines = splitInlineHeadings(
    allLines.filter((l) => !isNoise(l.text)),
    profile.inlineHeadings,
  );
  if (lines.every((l) => isBlank(l.text))) lines.splice(0, lines.length, ...allLines);

  const found = findTitle(lines, profile, diagnostics, givenYear);
  if (!found) return { diagnostics, sourceMap };
  const { title, index: titleIndex } = found;
  sourceMap.set('organization', lines[titleIndex]!.line);
  sourceMap.set('fiscalYear', lines[titleIndex]!.line);

  const preamble: SourceLine[] = [];
  const sections = new Map<SectionKind, Section>();
  let current: SourceLine[] = preamble;
  for (const l of lines.slice(titleIndex + 1)) {
    const heading = classifyHeading(l.text, profile);
    if (!heading) {
      current.push(l);
      continue;
    }
    const inclusive = profile.headings.some((h) => h.kind === heading.kind && h.inclusive);
    if (inclusive && sections.get(heading.kind)?.content === current) {
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
    // A heading that is also the section's first item (Fukuoka's 目標1 opens the issues).
    if (inclusive) current.push(l);
  }
  for (const section of [...sections.values()]) {
    const rule = profile.headings.find((h) => h.kind === section.heading.kind && h.split)?.split;
    if (rule) splitSection(section, rule, sections, diagnostics);
  }

  let head: string | null = null;
  for (const l of [...preamble, ...(sections.get('plan')?.content ?? [])]) {
    if (isBlank(l.text)) continue;
    const h = parseHead(l.text) ?? profileHead(l.text, profile);
    if (h !== undefined && head === null) {
      head = h;
      sourceMap.set('head', l.line);
    } else {
      diagnostics.push(warning('表題と最初の見出しの間にある、読めない行を読み飛ばしました', { line: l.line }));
    }
  }

  const text = (kind: SectionKind): string => {
    const s = sections.get(kind);
    if (!s) return '';
    refuseHeadingLike(s.content, kind, profile, diagnostics);
    return paragraphs(withoutBullets(s.content, profile), profile.lineJoin).join('\n');
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
  const evaluationKinds = ['selfEvaluation', 'achievements', 'challenges', 'quantitative', 'qualitative', 'outlook'] as const;
  if (profile.requireSelfEvaluation && !evaluationKinds.some((k) => sections.has(k))) {
    diagnostics.push(error('「◆自己評価」の見出しがありません。文書が途中で切れていないか確かめてください', { line: allLines.length }));
  }
  const overviewText = sections.get('overview')?.content.find((l) => !isBlank(l.text));
  if (overviewText) {
    diagnostics.push(error('「全体概要」の見出しの下に、どの項目にも属さない文章があります', { line: overviewText.line }));
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
  mark('selfEvaluation.quantitative', 'quantitative');
  mark('selfEvaluation.qualitative', 'qualitative');
  mark('selfEvaluation.outlook', 'outlook');

  const issuesContent = sections.get('issues')?.content ?? [];
  const missionContent = sections.get('mission')?.content ?? [];
  refuseHeadingLike(missionContent, 'mission', profile, diagnostics);
  const selfEvaluation: Plan['selfEvaluation'] = { achievements: text('achievements'), challenges: text('challenges') };
  for (const kind of ['quantitative', 'qualitative', 'outlook'] as const) {
    if (sections.has(kind)) selfEvaluation[kind] = text(kind);
  }

  // The seed's table is known by its header row whatever the profile: Hoshin's own text
  // rendering writes it for a plan of any family, and reads back with the profile detected.
  const lead: SourceLine[] = [];
  const issues =
    profile.issues.reader === 'table' || issuesContent.some((l) => ISSUES_TABLE_HEADER.test(fold(l.text).trim()))
      ? parseIssuesTable(issuesContent, title.fiscalYear, diagnostics, sourceMap)
      : parseIssueBlocks(issuesContent, profile.issues, profile, title.fiscalYear, diagnostics, sourceMap, lead);
  const leadTo = profile.issues.reader === 'blocks' ? profile.issues.leadTo : undefined;
  if (lead.length > 0 && leadTo) {
    // 様式2's introduction (profile.issues.leadTo): kept, before that section's own text.
    diagnostics.push(warning(`経営課題より前の文章を「${SECTION_NAMES[leadTo]}」として読みました`, { line: lead[0]!.line }));
    const target = sections.get(leadTo);
    if (target) {
      lead.push({ text: '', line: lead.at(-1)!.line });
      for (const l of target.content) lead.push(l);
      target.content = lead;
    } else sections.set(leadTo, { heading: { kind: leadTo }, line: lead[0]!.line, content: lead });
  }

  const plan: Plan = {
    organization: title.organization,
    fiscalYear: title.fiscalYear,
    documentStatus: title.documentStatus,
    head,
    goal: text('goal'),
    mission: parseMission(sections.get('mission')?.content ?? [], profile),
    policy: text('policy'),
    issues,
    reform:
      profile.reform.reader === 'table'
        ? parseReform(sections.get('reform'), diagnostics, sourceMap)
        : parseReformBlocks(sections.get('reform'), profile.reform.item, profile, diagnostics, sourceMap, profile.reform.untitledItem ?? false),
    selfEvaluation,
  };
  // A missing goal heading is reported above; its emptiness would only say it again.
  const validation = validatePlan(plan).filter((d) => goalSection || d.field !== 'goal');
  // Not push(...): a document can have more problems than a call has room for arguments.
  for (const d of locate(validation, sourceMap)) diagnostics.push(d);
  return hasErrors(diagnostics) ? { partial: plan, diagnostics, sourceMap } : { plan, partial: plan, diagnostics, sourceMap };
}

function findTitle(lines: SourceLine[], profile: LayoutProfile, diagnostics: Diagnostic[], givenYear?: number): { title: Title; index: number } | undefined {
  const firstContent = lines.findIndex((l) => !isBlank(l.text));
  for (let i = firstContent; i >= 0 && i < lines.length; i++) {
    const l = lines[i]!;
    if (classifyHeading(l.text, profile)) break;
    const yearless = readYearlessTitle(l.text, profile, givenYear);
    if (yearless) {
      if (!yearless.ok) {
        diagnostics.push(error(yearless.message, { line: l.line }));
        return undefined;
      }
      if (i !== firstContent) diagnostics.push(warning('表題より前にある行を読み飛ばしました', { line: lines[firstContent]!.line }));
      return { title: yearless.title, index: i };
    }
    let t = parseTitle(l.text, profile.titles);
    let end = i;
    if (t === undefined) {
      // A title the extraction wrapped: 「令和6年度」 / 「住之江区運営方針(案)」.
      if (!/年度/.test(fold(l.text))) continue;
      let next = i + 1;
      while (next < lines.length && isBlank(lines[next]!.text)) next++;
      if (next >= lines.length || classifyHeading(lines[next]!.text, profile)) continue;
      t = parseTitle(`${l.text.trim()}${lines[next]!.text.trim()}`, profile.titles);
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

/** The head's name from a line of the profile's shapes (profile.heads), widths kept. */
function profileHead(line: string, profile: LayoutProfile): string | undefined {
  const trimmed = line.trim();
  if (trimmed.length > 80) return undefined;
  const folded = fold(trimmed);
  for (const shape of profile.heads ?? []) {
    const m = new RegExp(shape.source, shape.flags.includes('d') ? shape.flags : `${shape.flags}d`).exec(folded);
    const range = m?.indices?.groups?.name;
    if (range) return trimmed.slice(range[0], range[1]).trim();
  }
  return undefined;
}

/** A title with no year (profile.yearlessTitles): the year is the caller's, or the title is refused naming what is missing. */
function readYearlessTitle(line: string, profile: LayoutProfile, givenYear: number | undefined): TitleResult {
  const trimmed = line.trim();
  const folded = fold(trimmed);
  for (const shape of profile.yearlessTitles ?? []) {
    const m = new RegExp(shape.source, shape.flags.includes('d') ? shape.flags : `${shape.flags}d`).exec(folded);
    const range = m?.indices?.groups?.org;
    if (!m || !range) continue;
    const organization = trimmed.slice(range[0], range[1]).trim();
    if (givenYear === undefined) {
      return { ok: false, message: `表題「${trimmed}」に年度がありません。この様式(${profile.name})では年度を指定してください(例: --year 2023)` };
    }
    return { ok: true, title: { organization, fiscalYear: givenYear, documentStatus: /案\)?$/.test(folded) ? 'draft' : 'final' } };
  }
  return undefined;
}

/** The lines with their list marks removed, where the profile reads texts as lists. */
function withoutBullets(content: SourceLine[], profile: LayoutProfile): SourceLine[] {
  if (!profile.textBullets) return content;
  return content.map((l) => {
    const trimmed = l.text.trim();
    const m = profile.bullet.exec(fold(trimmed));
    return m ? { ...l, text: trimmed.slice(m[0].length) } : l;
  });
}

/**
 * A line in a text section that looks like a heading (【…】, ◆…) but is none of this layout's:
 * an error at its line, never text appended to the section before it.
 */
function refuseHeadingLike(content: SourceLine[], kind: SectionKind, profile: LayoutProfile, diagnostics: Diagnostic[]): void {
  for (const l of content) {
    let t = fold(l.text).trim();
    // A list mark of the profile is not a heading's (Fukuoka's items are `◆…`); what follows it may be.
    const mark = profile.bullet.exec(t);
    if (mark && mark[0] !== '') t = t.slice(mark[0].length).trim();
    // 様式2's rows (its header row, an issue's line) in a text section: the issues heading is missing or out of place.
    if (looksLikeHeading(t) || ISSUES_TABLE_HEADER.test(t) || /^【?\s*経営課題\s*\d/.test(t)) {
      diagnostics.push(
        error(`見出しのような行ですが、レイアウト ${profile.name} のどの見出しにも当たりません(「${SECTION_NAMES[kind]}」の本文には入れません)`, { line: l.line }),
      );
    }
  }
}

/** One item per bullet, mark removed; a line with no mark continues the item before it ('bullets'), or one item a line ('lines'). */
function parseMission(content: SourceLine[], profile: LayoutProfile): string[] {
  const BULLET = profile.bullet;
  if (profile.mission === 'lines') {
    return content.filter((l) => !isBlank(l.text)).map((l) => {
      const trimmed = l.text.trim();
      const m = BULLET.exec(fold(trimmed));
      return (m ? trimmed.slice(m[0].length) : trimmed).trim();
    }).filter((t) => t !== '');
  }
  const hasBullets = content.some((l) => BULLET.test(fold(l.text).trim()));
  if (!hasBullets) return paragraphs(content, profile.lineJoin);
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
