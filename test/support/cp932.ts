/**
 * A Shift_JIS (CP932) encoder for tests: Node decodes Shift_JIS but cannot encode it, so
 * the table is built once by decoding every byte and byte pair and inverting the result.
 */

let table: Map<string, number[]> | undefined;

function encodingTable(): Map<string, number[]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('shift_jis', { fatal: true });
  const add = (bytes: number[]) => {
    let ch: string;
    try {
      ch = decoder.decode(new Uint8Array(bytes));
    } catch {
      return;
    }
    // CP932 has duplicate codes (NEC and IBM extensions): keep the first, which is what Windows writes.
    if ([...ch].length === 1 && ch !== '\uFFFD' && !table!.has(ch)) table!.set(ch, bytes);
  };
  for (let b = 0; b <= 0x80; b++) add([b]);
  for (let b = 0xa1; b <= 0xdf; b++) add([b]);
  for (let lead = 0x81; lead <= 0xfc; lead++) {
    if (lead > 0x9f && lead < 0xe0) continue;
    for (let trail = 0x40; trail <= 0xfc; trail++) if (trail !== 0x7f) add([lead, trail]);
  }
  return table;
}

/** Text as CP932 bytes; throws on a character CP932 cannot hold, so a test never encodes silently wrong. */
export function encodeShiftJis(text: string): Uint8Array {
  const map = encodingTable();
  const out: number[] = [];
  for (const ch of text) {
    const bytes = map.get(ch);
    if (!bytes) throw new Error(`U+${ch.codePointAt(0)!.toString(16).toUpperCase()} (${ch}) has no Shift_JIS code`);
    out.push(...bytes);
  }
  return new Uint8Array(out);
}
