import { decodeDocument } from '../decode.ts';
import { detectFormat, parseDocument, type ParseResult } from '../index.ts';
import { parseText } from './parse.ts';
import { findProfile, LAYOUT_NAMES } from './profiles/index.ts';

export { LAYOUT_NAMES } from './profiles/index.ts';

export interface LayoutParseResult extends ParseResult {
  /** The text layout profile the document was read with; undefined for JSON. */
  layout?: string;
}

/**
 * parseDocument, with the text layout forced (`layout`, from --layout) or detected, and its
 * name returned so commands can report it. JSON documents read as parseDocument reads them.
 */
export function parseDocumentWithLayout(bytes: Uint8Array, fileName?: string, options: { layout?: string; fiscalYear?: number } = {}): LayoutParseResult {
  const decoded = decodeDocument(bytes);
  if (!decoded.ok || detectFormat(decoded.text, fileName) === 'json') return parseDocument(bytes, fileName);
  const { plan, diagnostics, layout } = parseText(decoded.text, options);
  const result: LayoutParseResult = plan ? { format: 'text', plan, diagnostics } : { format: 'text', diagnostics };
  if (layout !== undefined) result.layout = layout;
  return result;
}

/** 「osaka-2017(大阪市 区運営方針 …の様式)」: how commands name a layout. */
export function describeLayout(name: string): string {
  const profile = findProfile(name);
  return profile ? `${name}(${profile.description})` : name;
}

/** The usage error for an unknown --layout. */
export function unknownLayoutMessage(name: string): string {
  return `--layout には ${LAYOUT_NAMES.join('・')} のいずれかを指定してください(指定: ${name})`;
}
