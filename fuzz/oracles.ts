/**
 * The contract every importer keeps whatever it is fed: it returns, never throws; a plan comes
 * with no error and passes validatePlan; no plan comes with at least one error; every
 * message is Japanese and points inside the document; and a plan it accepts can be written
 * in every export format and read back from its JSON unchanged.
 */
import { isDeepStrictEqual } from 'node:util';
import { hasErrors, type Diagnostic } from '../src/domain/diagnostic.ts';
import type { Plan } from '../src/domain/plan.ts';
import { validatePlan } from '../src/domain/validate.ts';
import { FORMAT_NAMES, parseDocument, renderDocument } from '../src/formats/index.ts';
import { expectThat, JAPANESE } from './target.ts';

/** Lines as the decoder counts them: CRLF, CR and LF each end one. */
export function lineCount(bytes: Uint8Array): number {
  let n = 1;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) n++;
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) n++;
  }
  return n;
}

export function checkDiagnostics(diagnostics: readonly Diagnostic[], where: { lines?: number } = {}): void {
  expectThat(Array.isArray(diagnostics), 'diagnostics is not an array');
  for (const d of diagnostics) {
    expectThat(d.severity === 'error' || d.severity === 'warning', `a diagnostic with severity ${String(d.severity)}`, d);
    expectThat(typeof d.message === 'string' && d.message.trim() !== '', 'an empty diagnostic message', d);
    expectThat(JAPANESE.test(d.message), `a diagnostic message not in Japanese: ${d.message.slice(0, 200)}`, d);
    if (d.line !== undefined) {
      expectThat(Number.isInteger(d.line) && d.line >= 1, `a diagnostic at line ${d.line}`, d);
      if (where.lines !== undefined) expectThat(d.line <= where.lines, `a diagnostic at line ${d.line} of a ${where.lines}-line document: ${d.message}`, d);
    }
    if (d.page !== undefined) expectThat(Number.isInteger(d.page) && d.page >= 1, `a diagnostic on page ${d.page}`, d);
  }
}

/** A plan it returns can be written in every format, and its JSON reads back into the same plan. */
export function checkPlanWritable(plan: Plan): void {
  for (const format of FORMAT_NAMES) renderDocument(plan, format);
  const again = parseDocument(new TextEncoder().encode(renderDocument(plan, 'json')), 'again.json');
  expectThat(again.plan !== undefined, `an accepted plan's own JSON is refused: ${again.diagnostics.map((d) => d.message).join(' / ').slice(0, 300)}`);
  // Compared as JSON: -0 read from "-0" is written as 0, the same number in the format.
  expectThat(isDeepStrictEqual(again.plan, plan) || JSON.stringify(again.plan) === JSON.stringify(plan), "an accepted plan's JSON reads back into a different plan");
}

export function checkParseResult(result: { plan?: Plan; diagnostics: Diagnostic[] }, where: { lines?: number } = {}): void {
  checkDiagnostics(result.diagnostics, where);
  if (result.plan) {
    expectThat(!hasErrors(result.diagnostics), 'a plan returned together with an error');
    const problems = validatePlan(result.plan).filter((d) => d.severity === 'error');
    expectThat(problems.length === 0, `a returned plan fails validatePlan: ${problems.map((d) => `${d.field ?? ''} ${d.message}`).join(' / ').slice(0, 300)}`);
    checkPlanWritable(result.plan);
  } else {
    expectThat(hasErrors(result.diagnostics), 'no plan and no error');
  }
}
