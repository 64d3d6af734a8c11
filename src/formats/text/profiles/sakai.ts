import { WEB_TEXT } from './common.ts';
import type { LayoutProfile } from './types.ts';

/** A line of its own that is no sentence (no 。), no list item and no bracketed heading: a sub-heading. */
const SUB_HEADING = /^(?<title>[^。・•\-\d\s【〈≪◆<[][^。]{0,58}[^。、])$/;

/**
 * Sakai's 組織運営方針: titled by the office (`堺区役所`, `市長公室`) with no year (the caller gives
 * it: TextParseOptions.fiscalYear, else an error naming it); the head on a line of its own
 * (`堺区長 東屋 好晴`). Sections: このような考え方で組織を運営します (→ policy), このように
 * 行財政改革に取り組みます (→ reform, its plan name 行財政改革 or 行政改革; sub-headings are its
 * items, paragraphs with none one item titled by the plan name, with a warning), and
 * 今年度は特に以下のことについて重点的に取り組みます (→ goal: what the office aims at this year,
 * each line a line). There are no issues with strategies and no mission.
 */
export const sakai: LayoutProfile = {
  name: 'sakai',
  description: '堺市 組織運営方針の様式',
  signatures: [
    { pattern: /^このような考え方で組織を運営します$/, weight: 4 },
    { pattern: /^このように行(?:財)?政改革に取り組みます$/, weight: 3 },
    { pattern: /^今年度は特に以下のことについて重点的に取り組みます$/, weight: 3 },
    { pattern: /^\S+(?:区役所|公室|局)$/, weight: 1 },
  ],
  titles: [],
  yearlessTitles: [/^(?<org>\S{1,20}(?:区役所|公室|局|室|部|事務所))$/],
  heads: [/^(?:\S{0,10}?の写真)?\S{1,12}?長\s+(?<name>\S+(?:\s\S+)?)$/],
  headingPrefix: /^(?:[・•]\s*)/,
  headings: [
    { kind: 'policy', pattern: /^このような考え方で組織を運営します$/ },
    { kind: 'reform', pattern: /^このように(?<planName>行(?:財)?政改革)に取り組みます$/ },
    { kind: 'goal', pattern: /^今年度は特に以下のことについて重点的に取り組みます$/ },
  ],
  ...WEB_TEXT,
  noise: [...WEB_TEXT.noise, /^(?:このページの先頭です|ここから本文です。?)$/],
  issues: { reader: 'blocks', issue: [], strategy: [], initiative: [], labels: [], defaults: { issue: 'summary', strategy: 'strategyDescription', initiative: 'initiativeDescription' } },
  reform: { reader: 'blocks', item: [SUB_HEADING], untitledItem: true },
  requireSelfEvaluation: false,
};
