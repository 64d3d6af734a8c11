/** A test client's cookie jar: Set-Cookie headers applied as a browser would (an empty value or Max-Age=0 deletes). */
export function applySetCookies(jar: Map<string, string>, setCookies: readonly string[]): void {
  for (const c of setCookies) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    if (value === '' || /max-age=0/i.test(c)) jar.delete(name);
    else jar.set(name, value);
  }
}
