/**
 * Mutations of documents as bytes, lines and (for JSON) parsed values. Byte mutations reach
 * the decoders and the PDF/zip readers; line mutations keep most of a text plan readable so
 * the parsers' deeper rules run; JSON value mutations keep the syntax valid so the schema and
 * the plan rules, not only JSON.parse, are exercised.
 */
import type { Rng } from './rng.ts';

const encoder = new TextEncoder();
export const utf8 = (s: string): Uint8Array => encoder.encode(s);

/** Bytes that mean something to a reader: controls, quotes, separators, half a UTF-8 or Shift_JIS character, BOMs. */
const INTERESTING_BYTES = [0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1a, 0x1b, 0x20, 0x22, 0x25, 0x27, 0x2c, 0x2f, 0x3c, 0x3e, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f, 0x80, 0x81, 0x9f, 0xa0, 0xbf, 0xc0, 0xe3, 0xef, 0xfe, 0xff];

/** Characters at the edges of Unicode and of Japanese text handling. */
export const EDGE_CHARS = [
  '\uFEFF', '\u200B', '\u200D', '\u3000', '\u00A0', '\u2028', '\u2029', '\u202E', '\u0000', '\uFFFD', '\uFFFF', '\u0301', '\u3099',
  '𠮷', '𩸽', '👨‍👩‍👧', '🇯🇵', 'ｱ', 'ﾞ', 'ｶﾞ', '⽅', '⺟', '㍻', '㋿', '①', '⑳', 'Ⅻ', '〜', '～', '－', '−', '‐', '―', '‥', '…', '・', '•',
  '（', '）', '【', '】', '「', '」', '『', '』', '〔', '〕', '：', '，', '．', '０', '９', 'Ａ', '\r', '\r\n', '\t', '\x1a', '\x7f', '\x85',
  '＜script＞', '<script>alert(1)</script>', '=HYPERLINK("x")', '+1', '@SUM(A1)', '%s%n', '${x}', '{{x}}', '\\u0000', '../../etc/passwd',
];

/** Lone surrogates and overlong forms cannot come from TextEncoder: raw bytes. */
const BROKEN_UTF8: readonly (readonly number[])[] = [
  [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe3], [0xe3, 0x81], [0x80], [0xbf], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0x82, 0xa0], [0x93, 0xfa, 0x96, 0x7b], [0x81, 0x5c],
];

/** Numbers that break arithmetic, parsing or storage. */
export const HUGE_NUMBERS = [
  '0', '-0', '-1', '1e308', '1e309', '-1e309', '1e-400', '9007199254740993', '99999999999999999999999999999', '2147483648', '4294967296',
  '0x7fffffff', '0b101', '1_000', 'NaN', 'Infinity', '-Infinity', '１２３４５６７８９０１２３４', '1,000,000,000,000,000', '0.0000000000000000001',
  '999999999999', '1000000000000', '△999999999999', '▲1', '(1)', '12.', '.5', '1..2', '1e', '+', '-', '１．５', '〇', '二十', '百万',
];

/** Japanese era dates and years, valid and not. */
export const ERA_WORDS = ['令和99999年度', '平成0年度', '昭和64年度', '令和元年度', '平成31年度', '令和1年度', '明治1年度', '2017年度', '99999年度', '0年度', 'R1.5.1', 'H31.4.31', '平成29年2月30日', '令和6年13月1日', '2017-02-29', '2017/9/31', '9999-12-31', '0000-01-01'];

export interface MutateOptions {
  /** Seeds to splice from and pick. */
  seeds: readonly Uint8Array[];
  /** Words of the format (headings, keywords): inserted and swapped. */
  dictionary: readonly string[];
  /** Inputs are cut back to this many bytes, so a run of duplications cannot eat memory. */
  maxBytes: number;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function insertAt(bytes: Uint8Array, at: number, part: Uint8Array): Uint8Array {
  return concat([bytes.subarray(0, at), part, bytes.subarray(at)]);
}

function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a && i + 1 < bytes.length) starts.push(i + 1);
  return starts;
}

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const starts = lineStarts(bytes);
  return starts.map((s, i) => bytes.subarray(s, starts[i + 1] ?? bytes.length));
}

/** Where in the input: near the start more often, since headers and titles decide the most. */
function position(rng: Rng, length: number): number {
  return rng.chance(0.2) ? rng.small(Math.min(length, 256)) : rng.int(length + 1);
}

function indexOf(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  if (needle.length === 0) return -1;
  outer: for (let i = from; i <= bytes.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A word of the dictionary found in the input: where, and which. */
function findWord(rng: Rng, bytes: Uint8Array, dictionary: readonly string[]): { at: number; length: number } | undefined {
  for (let attempt = 0; attempt < 4; attempt++) {
    const word = utf8(rng.pick(dictionary));
    const first = indexOf(bytes, word, rng.int(Math.max(1, bytes.length - word.length)));
    const at = first >= 0 ? first : indexOf(bytes, word, 0);
    if (at >= 0) return { at, length: word.length };
  }
  return undefined;
}

export const MUTATIONS = [
  'bitFlip', 'setByte', 'insertBytes', 'deleteRange', 'duplicateChunk', 'repeatChunk', 'splice', 'number', 'truncate', 'unicode', 'brokenUtf8',
  'deleteLines', 'duplicateLine', 'swapLines', 'dictionaryInsert', 'dictionaryReplace', 'dictionaryDelete', 'eol',
] as const;
export type MutationName = (typeof MUTATIONS)[number];

/** The weights: line and dictionary edits keep a document readable, so they reach further in. */
const WEIGHTS: readonly (readonly [number, MutationName])[] = [
  [3, 'bitFlip'], [3, 'setByte'], [3, 'insertBytes'], [4, 'deleteRange'], [3, 'duplicateChunk'], [1, 'repeatChunk'], [2, 'splice'],
  [4, 'number'], [1, 'truncate'], [3, 'unicode'], [2, 'brokenUtf8'], [4, 'deleteLines'], [3, 'duplicateLine'], [3, 'swapLines'],
  [4, 'dictionaryInsert'], [4, 'dictionaryReplace'], [3, 'dictionaryDelete'], [1, 'eol'],
];

/** One mutation of `bytes`, named so a failure can say what was done. */
export function mutateOnce(rng: Rng, bytes: Uint8Array, options: MutateOptions, name: MutationName = rng.weighted(WEIGHTS)): Uint8Array {
  const n = bytes.length;
  switch (name) {
    case 'bitFlip': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      for (let k = 1 + rng.small(15); k > 0; k--) out[rng.int(n)]! ^= 1 << rng.int(8);
      return out;
    }
    case 'setByte': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      for (let k = 1 + rng.small(7); k > 0; k--) out[rng.int(n)] = rng.chance(0.7) ? rng.pick(INTERESTING_BYTES) : rng.int(256);
      return out;
    }
    case 'insertBytes': {
      const part = new Uint8Array(1 + rng.small(63));
      for (let i = 0; i < part.length; i++) part[i] = rng.chance(0.5) ? rng.pick(INTERESTING_BYTES) : rng.int(256);
      return insertAt(bytes, position(rng, n), part);
    }
    case 'deleteRange': {
      if (n === 0) return bytes;
      const at = rng.int(n);
      const length = 1 + rng.small(Math.min(n - at, 4096) - 1);
      return concat([bytes.subarray(0, at), bytes.subarray(at + length)]);
    }
    case 'duplicateChunk': {
      if (n === 0) return bytes;
      const from = rng.int(n);
      const chunk = bytes.slice(from, from + 1 + rng.small(Math.min(n - from, 8192) - 1));
      return insertAt(bytes, position(rng, n), chunk);
    }
    case 'repeatChunk': {
      // Growth: a chunk many times over, for quadratic work in a reader.
      if (n === 0) return bytes;
      const from = rng.int(n);
      const chunk = bytes.subarray(from, from + 1 + rng.small(Math.min(n - from, 256) - 1));
      const times = Math.min(1 + rng.int(5000), Math.floor(options.maxBytes / Math.max(1, chunk.length)));
      return insertAt(bytes, position(rng, n), concat(Array.from({ length: times }, () => chunk)));
    }
    case 'splice': {
      const other = rng.pick(options.seeds);
      const cut = rng.int(n + 1);
      const otherCut = rng.int(other.length + 1);
      return rng.chance(0.5) ? concat([bytes.subarray(0, cut), other.subarray(otherCut)]) : concat([other.subarray(0, otherCut), bytes.subarray(cut)]);
    }
    case 'number': {
      // A run of digits replaced by a number that breaks arithmetic, or such a number inserted.
      const out = utf8(rng.chance(0.3) ? rng.pick(ERA_WORDS) : rng.pick(HUGE_NUMBERS));
      let start = rng.int(n);
      while (start < n && !(bytes[start]! >= 0x30 && bytes[start]! <= 0x39)) start++;
      if (start >= n) return insertAt(bytes, position(rng, n), out);
      let end = start;
      while (end < n && ((bytes[end]! >= 0x30 && bytes[end]! <= 0x39) || bytes[end] === 0x2e || bytes[end] === 0x2c)) end++;
      return concat([bytes.subarray(0, start), out, bytes.subarray(end)]);
    }
    case 'truncate':
      return bytes.subarray(0, rng.int(n + 1));
    case 'unicode': {
      let s = '';
      for (let k = 1 + rng.small(7); k > 0; k--) s += rng.pick(EDGE_CHARS);
      return insertAt(bytes, position(rng, n), utf8(s));
    }
    case 'brokenUtf8':
      return insertAt(bytes, position(rng, n), new Uint8Array(rng.pick(BROKEN_UTF8)));
    case 'deleteLines': {
      const lines = splitLines(bytes);
      const at = rng.int(lines.length);
      lines.splice(at, 1 + rng.small(7));
      return concat(lines);
    }
    case 'duplicateLine': {
      const lines = splitLines(bytes);
      const line = rng.pick(lines);
      const times = rng.chance(0.1) ? 1 + rng.int(2000) : 1;
      lines.splice(rng.int(lines.length + 1), 0, ...Array.from({ length: Math.min(times, Math.floor(options.maxBytes / Math.max(1, line.length))) }, () => line));
      return concat(lines);
    }
    case 'swapLines': {
      const lines = splitLines(bytes);
      for (let k = 1 + rng.small(5); k > 0; k--) {
        const i = rng.int(lines.length);
        const j = rng.int(lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      return concat(lines);
    }
    case 'dictionaryInsert': {
      // At a line start half the time: headings are recognized there.
      const starts = lineStarts(bytes);
      const at = rng.chance(0.5) ? rng.pick(starts) : position(rng, n);
      const word = rng.pick(options.dictionary);
      return insertAt(bytes, at, utf8(rng.chance(0.5) ? `${word}\n` : word));
    }
    case 'dictionaryReplace': {
      const hit = findWord(rng, bytes, options.dictionary);
      const replacement = utf8(rng.pick(options.dictionary));
      if (!hit) return insertAt(bytes, position(rng, n), replacement);
      return concat([bytes.subarray(0, hit.at), replacement, bytes.subarray(hit.at + hit.length)]);
    }
    case 'dictionaryDelete': {
      const hit = findWord(rng, bytes, options.dictionary);
      return hit ? concat([bytes.subarray(0, hit.at), bytes.subarray(hit.at + hit.length)]) : bytes;
    }
    case 'eol': {
      // Every line end rewritten: CRLF, CR only, LF, or U+2028.
      const eol = utf8(rng.pick(['\r\n', '\r', '\n', '\u2028', '\n\n']));
      return concat(splitLines(bytes).flatMap((l) => (l[l.length - 1] === 0x0a ? [l.subarray(0, l.length - (l[l.length - 2] === 0x0d ? 2 : 1)), eol] : [l])));
    }
    default: {
      const unknown: never = name;
      throw new Error(`unknown mutation ${String(unknown)}`);
    }
  }
}

/** A seed with one to several mutations stacked, cut back to the size limit. */
export function mutateBytes(rng: Rng, options: MutateOptions, start: Uint8Array = rng.pick(options.seeds)): { bytes: Uint8Array; mutations: MutationName[] } {
  let bytes = start;
  const mutations: MutationName[] = [];
  for (let k = 1 + rng.small(5); k > 0; k--) {
    const name = rng.weighted(WEIGHTS);
    mutations.push(name);
    bytes = mutateOnce(rng, bytes, options, name);
    if (bytes.length > options.maxBytes) bytes = bytes.subarray(0, options.maxBytes);
  }
  return { bytes, mutations };
}

// ---- JSON as values ----

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keys that reach Object.prototype or shadow its methods when code indexes objects by user keys. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', 'toJSON', 'length'];

/** Placeholders swapped for text JSON.stringify cannot make: deep nesting, duplicate keys, raw numbers. */
const RAW = '\u0000raw:';

function collect(value: Json, path: (string | number)[], out: { path: (string | number)[]; value: Json }[], limit: number): void {
  if (out.length >= limit) return;
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => collect(v, [...path, i], out, limit));
  else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) collect(value[k]!, [...path, k], out, limit);
}

/** Sets an own property even for "__proto__", which plain assignment would turn into a prototype change. */
function setOwn(target: Record<string, Json> | Json[], key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function randomScalar(rng: Rng): Json {
  switch (rng.int(9)) {
    case 0: return null;
    case 1: return rng.chance(0.5);
    case 2: return rng.pick([0, -1, 1.5, 2017, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 5e-324, 2 ** 31, -(2 ** 53)]);
    case 3: return `${RAW}${rng.pick(['1e999', '-1e999', '123456789012345678901234567890', '1.0000000000000000000001', '-0', '0e0', '1E+2'])}`;
    case 4: return rng.pick(EDGE_CHARS).repeat(1 + rng.small(20));
    case 5: return rng.pick(HUGE_NUMBERS);
    case 6: return rng.pick(ERA_WORDS);
    case 7: return 'あ'.repeat(rng.pick([0, 1, 100, 10_000, 300_001]));
    default: return rng.pick(PROTOTYPE_KEYS);
  }
}

/** Characters a mutated JSON document may grow to: far past every limit, yet a few MB for the generator. */
const JSON_BUDGET = 3_000_000;

const sizeOf = (v: Json) => JSON.stringify(v)?.length ?? 4;

function randomValue(rng: Rng, sample: Json, budget: number): Json {
  switch (rng.int(6)) {
    case 0: return [];
    case 1: return {};
    case 2: return [randomScalar(rng)];
    case 3: return Object.fromEntries([[rng.pick(PROTOTYPE_KEYS), randomScalar(rng)]]) as Json;
    case 4: return sizeOf(sample) < budget ? structuredClone(sample) : null;
    default: return randomScalar(rng);
  }
}

function childAt(root: Json, path: readonly (string | number)[]): Json {
  let v = root;
  for (const p of path) v = (v as Record<string | number, Json>)[p]!;
  return v;
}

/** One edit of a parsed JSON document. */
function mutateValue(rng: Rng, root: Json, budget: number): Json {
  const nodes: { path: (string | number)[]; value: Json }[] = [];
  collect(root, [], nodes, 20_000);
  const node = rng.pick(nodes);
  const parentPath = node.path.slice(0, -1);
  const key = node.path[node.path.length - 1];
  const parent = key === undefined ? undefined : (childAt(root, parentPath) as Record<string, Json> | Json[]);
  const replace = (v: Json): Json => {
    if (parent === undefined || key === undefined) return v;
    setOwn(parent, key, v);
    return root;
  };
  switch (rng.weighted([[5, 'replace'], [3, 'delete'], [3, 'addKey'], [2, 'duplicate'], [1, 'nest'], [2, 'retype'], [1, 'format'], [1, 'rename']] as const)) {
    case 'replace':
      return replace(randomValue(rng, rng.pick(nodes).value, budget));
    case 'delete':
      if (parent === undefined || key === undefined) return root;
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key as string];
      return root;
    case 'addKey': {
      const objects = nodes.filter((x) => x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value));
      if (objects.length === 0) return root;
      const target = rng.pick(objects).value as Record<string, Json>;
      const name = rng.weighted([[4, () => rng.pick(PROTOTYPE_KEYS)], [2, () => rng.pick(EDGE_CHARS)], [1, () => 'k'.repeat(1 + rng.small(10_000))], [2, () => rng.pick(Object.keys(target).length > 0 ? Object.keys(target) : ['x']) + rng.pick(['', ' ', 's', '_'])]] as const)();
      setOwn(target, name, randomValue(rng, rng.pick(nodes).value, budget));
      return root;
    }
    case 'duplicate': {
      const arrays = nodes.filter((x) => Array.isArray(x.value) && x.value.length > 0);
      if (arrays.length === 0) return root;
      const list = rng.pick(arrays).value as Json[];
      const item = rng.pick(list);
      // Copies within the budget: a generator that runs out of memory finds nothing.
      const times = Math.min(rng.chance(0.2) ? 1 + rng.int(3000) : 1, Math.floor(budget / sizeOf(item)));
      for (let k = times; k > 0; k--) list.push(structuredClone(item));
      return root;
    }
    case 'nest': {
      // Deep nesting as text: JSON.stringify itself would overflow the stack building it.
      const depth = rng.pick([100, 1_000, 10_000, 100_000]);
      const open = rng.chance(0.5) ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      return replace(`${RAW}${open.repeat(depth)}1${close.repeat(depth)}`);
    }
    case 'retype': {
      const v = node.value;
      return replace(typeof v === 'number' ? String(v) : typeof v === 'string' && /^-?\d/.test(v) ? Number(v.replace(/[^\d.-]/g, '')) || 0 : Array.isArray(v) ? (v[0] ?? null) : typeof v === 'object' && v !== null ? Object.values(v) : [v]);
    }
    case 'format':
      if (root !== null && typeof root === 'object' && !Array.isArray(root)) setOwn(root, 'format', rng.pick(['hoshin-plan/1', 'hoshin-plan/2', 'hoshin-plan/3', 'hoshin-plan/', '', 'HOSHIN-PLAN/2']));
      return root;
    case 'rename': {
      if (parent === undefined || Array.isArray(parent) || typeof key !== 'string') return root;
      const v = parent[key]!;
      delete parent[key];
      setOwn(parent, rng.pick([key.toUpperCase(), `${key} `, key.slice(1), `${key}\u200B`, rng.pick(PROTOTYPE_KEYS)]), v);
      return root;
    }
  }
}

/** A JSON seed edited as values one to several times, written back as text (sometimes with duplicate keys). */
export function mutateJsonText(rng: Rng, seedText: string): string {
  let root = JSON.parse(seedText) as Json;
  let size = seedText.length;
  for (let k = 1 + rng.small(4); k > 0; k--) {
    root = mutateValue(rng, root, JSON_BUDGET - size);
    size = sizeOf(root);
  }
  let text = JSON.stringify(root, null, rng.chance(0.5) ? 2 : undefined);
  text = text.replace(/"\\u0000raw:((?:[^"\\]|\\.)*)"/g, (_, raw: string) => JSON.parse(`"${raw}"`) as string);
  if (rng.chance(0.1)) {
    // A duplicate key: JSON.parse keeps the last; a reader that scans text may keep the first.
    text = text.replace(/"format"\s*:\s*"[^"]*"/, (m) => `${m}, "format": "hoshin-plan/1"`);
  }
  return text;
}
