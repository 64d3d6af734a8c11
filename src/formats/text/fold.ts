/**
 * Width folding for matching only: full-width ASCII forms, the ideographic space and
 * dash look-alikes become their ASCII forms one UTF-16 unit for one, so an index found
 * in the folded line is the same index in the original (values are sliced from the
 * original and keep their widths).
 */
export function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0x2500 || c === 0xfe63) out += '-';
    else if ((c === 0x30fc || c === 0xff70) && isDigitAt(text, i - 1) && isDigitAt(text, i + 1)) out += '-';
    else out += text[i];
  }
  return out;
}

/** The prolonged sound mark ー is a dash only between digits (【1ー3ー1】); elsewhere it is kana. */
function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19);
}

/**
 * PDF extraction yields Kangxi radicals (⽅ U+2F45) and a few CJK radical supplements
 * for the ideographs they look like; NFKC maps each to its ideograph. Nothing else in
 * the text is normalized.
 */
export function unifyRadicals(text: string): string {
  return text.replace(/[\u2e80-\u2eff\u2f00-\u2fdf]/g, (ch) => ch.normalize('NFKC'));
}

/** "２２，２６８" → 22268; undefined when it is not a number with optional thousands separators. */
export function parseGroupedInteger(folded: string): number | undefined {
  const t = folded.trim();
  if (!/^\d{1,3}(,\d{3})*$|^\d+$/.test(t)) return undefined;
  const n = Number(t.replace(/,/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}
