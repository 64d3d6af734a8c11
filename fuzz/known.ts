/**
 * Findings the fuzzer reports but that do not fail a run, with why: none at present.
 *
 * pdfjs-dist, opening a damaged PDF, rejects promises of its own that nobody can await
 * (XRefEntryException, FormatError, ParserEOFException, …) after the reader has already
 * answered with its Japanese error. These were known findings of the pdf and api targets until
 * PDFs were read in the document reader's worker thread (src/app/read-document.ts), which drops
 * exactly these; bin/hoshin.js drops them too for any other caller. test/fuzz/findings.test.ts
 * checks both sides. A stray rejection seen again by the fuzzer is now a finding: one reached
 * the thread that serves requests.
 */
export const PDFJS_STRAY_REJECTION = /^unhandled rejection: (?:XRefEntryException|XRefParseException|FormatError|ParserEOFException|InvalidPDFException|UnknownErrorException|Error):/;

/** Known findings by target. */
export const KNOWN_FINDINGS: Readonly<Record<string, readonly RegExp[]>> = {};
