/**
 * Where to send the browser after sign-in (`next`): only a path on this site. Browsers are
 * lenient in ways a simple prefix check misses: they drop tabs and newlines inside URLs
 * ("/\t/evil" is "//evil"), read "\" as "/", and a raw CR or LF in a Location header makes
 * the response itself fail. So anything unusual falls back to the staff home.
 */

export const DEFAULT_REDIRECT = '/staff';

/** Longer than any page of ours with its query; bounds what we echo back into a form. */
export const MAX_REDIRECT_LENGTH = 2048;

// C0 and C1 controls, DEL, every kind of space and line/paragraph separator, and format
// characters (zero-width spaces, bidi marks) that browsers may strip or show misleadingly.
const UNSAFE_CHAR = /[\p{Cc}\p{Cf}\p{Z}\s\\]/u;

function looksSafe(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !UNSAFE_CHAR.test(path);
}

/**
 * The path as written and decoded until it stops changing ("%2F" hides a "/", "%09" a tab);
 * undefined when the path as written does not decode.
 */
function decodings(path: string): string[] | undefined {
  const out = [path];
  let current = path;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      // A later round may meet a literal "%" that was encoded on purpose ("%25").
      return i === 0 ? undefined : out;
    }
    if (next === current) return out;
    out.push(next);
    current = next;
  }
  // Still changing after three rounds: nobody writes such a link by accident.
  return undefined;
}

/** `next` when it is a same-site absolute path, otherwise `fallback`. */
export function safeRedirectPath(next: unknown, fallback: string = DEFAULT_REDIRECT): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_REDIRECT_LENGTH) return fallback;
  const forms = decodings(next);
  if (!forms || !forms.every(looksSafe)) return fallback;
  // Last word to the URL parser browsers use: the path must stay on our origin, as written.
  const base = 'http://same-site.invalid';
  let resolved: URL;
  try {
    resolved = new URL(next, base);
  } catch {
    return fallback;
  }
  if (resolved.origin !== base) return fallback;
  return next;
}
