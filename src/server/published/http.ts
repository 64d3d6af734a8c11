/**
 * The HTTP side of cached public responses, as pure functions over header values: content
 * coding negotiation (RFC 9110 §12.5.3), conditional requests (§13) and download names
 * (RFC 6266 with RFC 8187's filename*).
 */

export type Coding = 'br' | 'gzip' | 'identity';

/**
 * The coding to send, from the client's Accept-Encoding and the codings this response has
 * (identity always). Highest q wins; on a tie the smaller body (br, then gzip). No header
 * means identity. null when the client refuses every coding we have, identity included
 * (`identity;q=0` or `*;q=0` with nothing else acceptable): the caller answers 406.
 */
export function chooseCoding(acceptEncoding: string | undefined | null, available: readonly Coding[]): Coding | null {
  if (acceptEncoding === undefined || acceptEncoding === null) return 'identity';
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [rawName, ...params] = part.split(';');
    let name = rawName!.trim().toLowerCase();
    if (name === '') continue;
    if (name === 'x-gzip') name = 'gzip';
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      // A malformed weight makes the element meaningless: skip it rather than guess.
      if (!m || !/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(m[1]!)) {
        weight = Number.NaN;
        break;
      }
      weight = Number(m[1]);
    }
    if (Number.isNaN(weight)) continue;
    // The same coding twice: the first counts, as most servers read it.
    if (!q.has(name)) q.set(name, weight);
  }
  const star = q.get('*');
  // Unnamed identity stays acceptable (unless excluded by *;q=0) but ranks with the least
  // wanted named coding, so "br;q=0.5" still gets br (as the widely used negotiator package does).
  const positive = [...q.values()].filter((w) => w > 0);
  const identityDefault = positive.length === 0 ? 1 : Math.min(...positive);
  const weightOf = (coding: Coding): number => {
    const own = q.get(coding);
    if (own !== undefined) return own;
    if (star !== undefined) return star;
    return coding === 'identity' ? identityDefault : 0;
  };
  let best: Coding | null = null;
  let bestQ = 0;
  // Preference order on ties: smaller bodies first.
  for (const coding of ['br', 'gzip', 'identity'] as const) {
    if (coding !== 'identity' && !available.includes(coding)) continue;
    const w = weightOf(coding);
    if (w > bestQ) {
      best = coding;
      bestQ = w;
    }
  }
  return best;
}

/** Entity tags in an If-None-Match value, without their weakness mark; '*' as itself. */
function entityTags(value: string): string[] {
  if (value.trim() === '*') return ['*'];
  return [...value.matchAll(/(?:W\/)?("[^"]*")/g)].map((m) => m[1]!);
}

/**
 * Whether the client's copy is current, so the answer is 304: If-None-Match when sent (weak
 * comparison, §13.1.2), else If-Modified-Since against the last modification (whole seconds,
 * as HTTP dates carry). An unreadable date is ignored, as §13.1.3 says.
 */
export function notModified(
  headers: { ifNoneMatch?: string | null | undefined; ifModifiedSince?: string | null | undefined },
  etag: string,
  lastModified: Date,
): boolean {
  const inm = headers.ifNoneMatch;
  if (inm !== undefined && inm !== null) {
    const tags = entityTags(inm);
    const own = etag.replace(/^W\//, '');
    return tags.includes('*') || tags.includes(own);
  }
  const ims = headers.ifModifiedSince;
  if (ims === undefined || ims === null) return false;
  const since = Date.parse(ims);
  if (Number.isNaN(since)) return false;
  return Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** RFC 8187 value-chars: everything else percent-encoded as UTF-8. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment` with the file name: a plain quoted name when it is ASCII, else an ASCII
 * fallback for old clients and the real (Japanese) name in filename*, which every current
 * browser prefers.
 */
export function contentDisposition(name: string, asciiFallback: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  if (/^[A-Za-z0-9_.-]+$/.test(name)) return `attachment; filename="${name}"`;
  return `attachment; filename="${safe(asciiFallback)}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/**
 * Public responses may sit in browsers and shared caches for a minute, and be served stale for
 * 30 s more while one request revalidates (a news spike then reaches us as one request per
 * cache per minute). A withdrawal is therefore seen everywhere within 90 s at worst.
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=30';
/** Pages showing who is signed in, and every staff page. */
export const PRIVATE_CACHE_CONTROL = 'no-store';
