/**
 * Findings the fuzzer reports but that do not fail a run, with why. pdfjs-dist, opening a
 * damaged PDF in the calling thread, rejects promises of its own that nobody can await
 * (XRefEntryException, FormatError, ParserEOFException, …) after the reader has already
 * answered with its Japanese error. The fuzz workers call the readers directly; Hoshin's own
 * processes run through bin/hoshin.js, which drops exactly these (test/fuzz/findings.test.ts
 * checks both sides).
 */
export const PDFJS_STRAY_REJECTION = /^unhandled rejection: (?:XRefEntryException|XRefParseException|FormatError|ParserEOFException|InvalidPDFException|UnknownErrorException|Error):/;

/** Known findings by target: the PDF reader, and the API (whose uploads reach it). */
export const KNOWN_FINDINGS: Readonly<Record<string, readonly RegExp[]>> = { pdf: [PDFJS_STRAY_REJECTION], api: [PDFJS_STRAY_REJECTION] };
