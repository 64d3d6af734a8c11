/**
 * What a fuzz target is: seed material loaded once, inputs made from it by a seeded generator,
 * and a checker that feeds an input to the code under test and throws a FuzzFailure when an
 * oracle does not hold. Generation is separate from checking so the main thread can make a
 * hung input again without the checker (the worker that hung is gone).
 */
import type { Rng } from './rng.ts';

/** One input: the bytes fed in, and how (a file name, options, a request's method and path), JSON-serializable. */
export interface FuzzInput {
  bytes: Uint8Array;
  meta: Record<string, unknown>;
}

export interface Checker {
  /** Feeds one input; throws FuzzFailure (or anything else: an escaped exception) when an oracle fails. */
  check(input: FuzzInput): Promise<void>;
  close?(): Promise<void>;
}

export interface Target<M = unknown> {
  name: string;
  /** What one input may take before it counts as a hang; generous, since CI machines are shared. */
  hangMs: number;
  /** Seeds and dictionaries: deterministic, loaded in the worker and again in the main thread after a hang. */
  load(): Promise<M>;
  /** Async for inputs that are documents written by an async writer (a workbook). */
  generate(material: M, rng: Rng): FuzzInput | Promise<FuzzInput>;
  open(material: M): Promise<Checker>;
}

/** An oracle that did not hold, as opposed to an exception escaping the code under test. */
export class FuzzFailure extends Error {
  constructor(
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'FuzzFailure';
  }
}

export function expectThat(condition: boolean, message: string, detail?: unknown): asserts condition {
  if (!condition) throw new FuzzFailure(message, detail);
}

/** Japanese: hiragana, katakana or kanji (a message made only of ASCII is not one a ward's staff can act on). */
export const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;
