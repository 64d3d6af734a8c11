import type { SourceMap } from '../source-map.ts';

/**
 * The line on which each value of a JSON text starts, by field path ("issues[0].title"),
 * so schema and validation problems can name their line. Expects text JSON.parse accepted.
 */
export function jsonFieldLines(text: string): SourceMap {
  const map: SourceMap = new Map();
  let i = 0;
  let line = 1;
  const skip = () => {
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') break;
    }
  };
  const readString = (): string => {
    const start = i;
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    skip();
    map.set(path, line);
    const c = text[i];
    if (c === '{') {
      i++;
      for (;;) {
        skip();
        if (text[i] === '}') break;
        const key = readString();
        skip();
        i++; // ':'
        value(path === '' ? key : `${path}.${key}`);
        skip();
        if (text[i] === ',') i++;
        else break;
      }
      i++;
    } else if (c === '[') {
      i++;
      for (let n = 0; ; n++) {
        skip();
        if (text[i] === ']') break;
        value(`${path}[${n}]`);
        skip();
        if (text[i] === ',') i++;
        else break;
      }
      i++;
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
  };
  value('');
  return map;
}
