/** Every fuzz target by name, in the order a full run takes them. */
import type { Target } from '../target.ts';
import { apiTarget } from './api.ts';
import { xlsxTarget } from './workbook.ts';
import { csvTarget, jsonTarget, pdfTarget, textTarget } from './importers.ts';

export const TARGETS: readonly Target<never>[] = [textTarget, jsonTarget, csvTarget, pdfTarget, xlsxTarget, apiTarget] as unknown as Target<never>[];

export const TARGET_NAMES: readonly string[] = TARGETS.map((t) => t.name);

export function targetNamed(name: string): Target {
  const target = TARGETS.find((t) => t.name === name);
  if (!target) throw new Error(`unknown fuzz target "${name}" (targets: ${TARGET_NAMES.join(', ')})`);
  return target as unknown as Target;
}
