import { fold } from '../fold.ts';
import { osaka2017 } from './osaka-2017.ts';
import { osaka2013 } from './osaka-2013.ts';
import { osaka2020 } from './osaka-2020.ts';
import { osaka2023 } from './osaka-2023.ts';
import { osakaBureau } from './osaka-bureau.ts';
import { yokohama } from './yokohama.ts';
import { sakai } from './sakai.ts';
import { fukuoka } from './fukuoka.ts';
import type { LayoutProfile } from './types.ts';

export type { LayoutProfile, SectionKind, BlockRules, BlockField, HeadingRule } from './types.ts';

/** Every layout Hoshin reads, the seed's first: it wins a tie, so a document that names no family reads as before. */
export const PROFILES: readonly LayoutProfile[] = [osaka2017, osaka2013, osaka2020, osaka2023, osakaBureau, yokohama, sakai, fukuoka];

export const LAYOUT_NAMES: readonly string[] = PROFILES.map((p) => p.name);

export function findProfile(name: string): LayoutProfile | undefined {
  return PROFILES.find((p) => p.name === name);
}

/** Lines looked at for detection: the signatures are in the first pages of every family. */
const DETECTION_LINES = 2000;

export interface Detection {
  profile: LayoutProfile;
  /** Score of each profile, in PROFILES order. */
  scores: number[];
}

/** What a title's year within a family's years counts: less than the structure of 様式2, which wins when both are there. */
const YEAR_WEIGHT = 2;

/** The profile whose signatures (and years, given the title's) the text matches best. */
export function detectLayout(lines: readonly string[], fiscalYear?: number): Detection {
  const scores = PROFILES.map((p) => (fiscalYear !== undefined && p.years && fiscalYear >= p.years[0] && fiscalYear <= p.years[1] ? YEAR_WEIGHT : 0));
  const seen = PROFILES.map((p) => p.signatures.map(() => false));
  for (const raw of lines.slice(0, DETECTION_LINES)) {
    const t = fold(raw).trim();
    if (t === '') continue;
    // A PDF's text can be one long line: its start holds the signatures.
    const head = t.length > 300 ? t.slice(0, 300) : t;
    PROFILES.forEach((p, i) => {
      p.signatures.forEach((s, j) => {
        if (!seen[i]![j] && s.pattern.test(head)) {
          seen[i]![j] = true;
          scores[i]! += s.weight;
        }
      });
    });
  }
  let best = 0;
  scores.forEach((s, i) => {
    if (s > scores[best]!) best = i;
  });
  return { profile: PROFILES[best]!, scores };
}
