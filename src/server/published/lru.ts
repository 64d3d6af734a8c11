/**
 * A least-recently-used map bounded by bytes rather than by entries: a cached plan page is
 * 17 KB and a PDF may be a few MB, so counting entries would bound nothing.
 */
export class ByteLru<V> {
  /** Map iteration order is insertion order: the first key is the least recently used. */
  private readonly map = new Map<string, { value: V; bytes: number }>();
  private total = 0;
  evictions = 0;

  constructor(readonly maxBytes: number) {
    if (!(maxBytes >= 0)) throw new RangeError(`maxBytes must be 0 or more: ${maxBytes}`);
  }

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    // Most recently used goes last.
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  /** Stores the value unless it alone is larger than the bound; evicts the oldest until it fits. */
  set(key: string, value: V, bytes: number): boolean {
    this.delete(key);
    if (bytes > this.maxBytes) return false;
    this.map.set(key, { value, bytes });
    this.total += bytes;
    for (const [oldest, entry] of this.map) {
      if (this.total <= this.maxBytes) break;
      this.map.delete(oldest);
      this.total -= entry.bytes;
      this.evictions++;
    }
    return true;
  }

  delete(key: string): void {
    const old = this.map.get(key);
    if (!old) return;
    this.map.delete(key);
    this.total -= old.bytes;
  }

  deleteWhere(test: (key: string) => boolean): void {
    for (const key of [...this.map.keys()]) if (test(key)) this.delete(key);
  }

  keys(): string[] {
    return [...this.map.keys()];
  }
}
