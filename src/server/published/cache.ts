import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { MeasurementRecord, Organization, PlanSummary, RatingScaleRecord, Store } from '../../store/store.ts';
import { AUDIT } from '../../store/sql/audit.ts';
import { ByteLru } from './lru.ts';
import type { Coding } from './http.ts';

/** The default bound of rendered public responses kept in memory (HOSHIN_PUBLIC_CACHE_MB). */
export const DEFAULT_PUBLISHED_CACHE_BYTES = 32 * 1024 * 1024;
/**
 * How long a process trusts what it last read of a plan's publication before asking the
 * database again: the bound on how late a publish, withdrawal or measurement made by
 * another process (or the CLI) is seen here. Browsers and proxies may keep a page for
 * 60 s anyway (PUBLIC_CACHE_CONTROL), so one more second is immaterial; publish and
 * withdraw through this process are seen at once (PublishedCache.forget).
 */
export const DEFAULT_REVALIDATE_MS = 1000;
/** Plans whose publication state a process remembers at once (a crawler's made-up URLs included). */
const MAX_SNAPSHOTS = 10_000;

/**
 * What a published plan's public responses are made from, read together: the organization,
 * the plan's summary (its published revision: immutable), the measurements and the city's
 * rating scales kept beside it (these change without a new revision), and when the plan last
 * changed. `key` names exactly these inputs, so equal keys mean equal bytes.
 */
export interface PublishedSnapshot {
  organization: Organization;
  /** The city a ward belongs to (大阪市 for 西区), for names like 「大阪市西区」. */
  cityName: string | undefined;
  summary: PlanSummary & { publishedRevision: number };
  measurements: MeasurementRecord[];
  cityScales: RatingScaleRecord[];
  /** The newest audited change the public sees (a workflow step such as publication or withdrawal, a measurement added or deleted). */
  lastChange: Date;
  key: string;
}

export function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
}

/**
 * What changes the public view: workflow steps (publish, unpublish, 確定), measurements. Saving
 * a draft (plan.save) or commenting does not, so staff editing a published plan's next draft
 * leave its cached page, JSON and downloads in place (they were re-rendered on every save, and
 * a plan's readers fell from ~6,000 to ~200 req/s while 20 editors worked).
 */
const PUBLIC_CHANGES = [AUDIT.planWorkflow, AUDIT.planPublish, AUDIT.measurementAdd, AUDIT.measurementDelete] as const;

/** A few small indexed queries; run at most once per revalidateMs per plan and process. */
export async function readSnapshot(store: Store, slug: string, fiscalYear: number): Promise<PublishedSnapshot | undefined> {
  const organization = await store.findOrganization(slug);
  // findOrganization also takes a name or a code; a public URL names the slug only.
  if (!organization || organization.slug !== slug) return undefined;
  const summary = await store.findPlan(organization.id, fiscalYear);
  if (!summary || summary.publishedRevision === null) return undefined;
  const [measurements, cityScales, parent, ...changes] = await Promise.all([
    store.listMeasurements(summary.id),
    store.listRatingScales(organization.parentId ?? organization.id),
    organization.parentId === null ? undefined : store.getOrganization(organization.parentId),
    ...PUBLIC_CHANGES.map((action) => store.listAudit({ planId: summary.id, action, limit: 1 })),
  ]);
  const newest = Math.max(0, ...changes.flatMap((entries) => entries.map((e) => e.at.getTime())));
  // A plan published without an audited step (none is known to exist) falls back to its last write.
  const lastChange = new Date(newest > 0 ? newest : summary.updatedAt.getTime());
  const publishedRevision = summary.publishedRevision;
  // The last change is in the key too: Last-Modified and the documents' dates come from it, so
  // every process makes the same bytes and validators for one key.
  const key = `${summary.id}:${publishedRevision}:${lastChange.getTime()}:${digest(measurements)}:${digest(cityScales)}`;
  return {
    organization, cityName: parent?.kind === 'city' ? parent.name : undefined,
    summary: { ...summary, publishedRevision }, measurements, cityScales, lastChange, key,
  };
}

/** One representation (content coding) of a cached response, with its headers ready to send. */
export interface Variant {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  headers: Record<string, string>;
  notModifiedHeaders: Record<string, string>;
}

export interface CachedEntry {
  variants: Partial<Record<Coding, Variant>> & { identity: Variant };
  codings: Coding[];
  lastModified: Date;
  bytes: number;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);
const BROTLI_QUALITY = 6;

/**
 * Compressed once per entry. Brotli at quality 6, not 11: on the seed's 11 KB JSON, 11 takes
 * ~11 ms for a body 4% smaller than 6 does in ~0.4 ms, and a city's 480 pages each pay that on
 * their first request (measured: the city mix went from 44 req/s at quality 11).
 */
export async function compressAll(body: Uint8Array, text: boolean): Promise<{ gzip: Uint8Array<ArrayBuffer>; br: Uint8Array<ArrayBuffer> }> {
  const [gz, br] = await Promise.all([
    gzipAsync(body, { level: 9 }),
    brotliAsync(body, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlib.BROTLI_PARAM_MODE]: text ? zlib.BROTLI_MODE_TEXT : zlib.BROTLI_MODE_GENERIC,
        [zlib.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
      },
    }),
  ]);
  // Copies: zlib's Buffers may be views into a shared pool, which a bounded cache must not pin.
  return { gzip: new Uint8Array(gz), br: new Uint8Array(br) };
}

export interface EntryInput {
  body: Uint8Array<ArrayBuffer>;
  lastModified: Date;
  compress: boolean;
  /** Headers every variant carries (type, caching, security, download name). */
  headers: Record<string, string>;
}

export async function buildEntry(input: EntryInput): Promise<CachedEntry> {
  const hash = createHash('sha256').update(input.body).digest('base64url').slice(0, 27);
  const lastModified = new Date(Math.floor(input.lastModified.getTime() / 1000) * 1000);
  const common = { ...input.headers, 'Last-Modified': lastModified.toUTCString() };
  const variant = (body: Uint8Array<ArrayBuffer>, coding: Coding): Variant => {
    // Each coding is its own representation, so its own strong tag (RFC 9110 §8.8.3).
    const etag = coding === 'identity' ? `"${hash}"` : `"${hash}-${coding}"`;
    const encoding: Record<string, string> = coding === 'identity' ? {} : { 'Content-Encoding': coding };
    return {
      body,
      etag,
      headers: { ...common, ...encoding, ETag: etag, 'Content-Length': String(body.byteLength) },
      notModifiedHeaders: Object.fromEntries(Object.entries({ ...common, ETag: etag })
        .filter(([name]) => !/^content-(?:type|length|disposition)$/i.test(name))),
    };
  };
  const variants: CachedEntry['variants'] = { identity: variant(input.body, 'identity') };
  if (input.compress) {
    const packed = await compressAll(input.body, true);
    // Kept only where it saves something worth a second copy in memory.
    for (const coding of ['br', 'gzip'] as const) {
      if (packed[coding].byteLength < input.body.byteLength * 0.9) variants[coding] = variant(packed[coding], coding);
    }
  }
  const codings = (['br', 'gzip', 'identity'] as const).filter((k) => variants[k] !== undefined);
  // Headers and bookkeeping are counted at a flat 2 KB per variant.
  const bytes = codings.reduce((sum, k) => sum + variants[k]!.body.byteLength + 2048, 0);
  return { variants, codings, lastModified, bytes };
}

export interface PublishedCacheOptions {
  /** Bound on the bytes of cached responses (all codings counted). Default 32 MB. */
  maxBytes?: number;
  /** See DEFAULT_REVALIDATE_MS. 0 asks the database on every request. */
  revalidateMs?: number;
  /**
   * Milliseconds on a monotonic clock (default performance.now), apart from the app's `now`:
   * a test that fixes the date must not also freeze what is published. Tests pass their own.
   */
  clock?: () => number;
}

/**
 * Rendered public responses of published plans, each made once per published revision (and
 * per state of the measurements and scales beside it) and kept in a byte-bounded LRU. The
 * database is the authority: a snapshot of what is published is re-read every
 * revalidateMs, so publishing in another process shows here too; one app instance per process.
 */
export class PublishedCache {
  readonly entries: ByteLru<CachedEntry>;
  readonly revalidateMs: number;
  private readonly clock: () => number;
  private readonly snapshots = new Map<string, { at: number; value: Promise<unknown> }>();
  private readonly pending = new Map<string, Promise<CachedEntry>>();
  /** Counters, for tests and the docs: a render is a miss that made bytes. */
  readonly stats = { hits: 0, renders: 0, snapshotReads: 0 };

  constructor(options: PublishedCacheOptions = {}) {
    this.entries = new ByteLru(options.maxBytes ?? DEFAULT_PUBLISHED_CACHE_BYTES);
    this.revalidateMs = options.revalidateMs ?? DEFAULT_REVALIDATE_MS;
    this.clock = options.clock ?? (() => performance.now());
  }

  /** What is published at slug/fiscalYear, as of at most revalidateMs ago; one read in flight per plan. */
  snapshot(store: Store, slug: string, fiscalYear: number): Promise<PublishedSnapshot | undefined> {
    return this.remember(`plan\n${slug}\n${fiscalYear}`, () => readSnapshot(store, slug, fiscalYear));
  }

  /** `read()`'s answer as of at most revalidateMs ago, under `id`; one read in flight per id. */
  remember<T>(id: string, read: () => Promise<T>): Promise<T> {
    const nowMs = this.clock();
    const known = this.snapshots.get(id);
    if (known && nowMs - known.at < this.revalidateMs && nowMs >= known.at) return known.value as Promise<T>;
    this.stats.snapshotReads++;
    const value = read();
    const record = { at: nowMs, value };
    this.snapshots.delete(id);
    this.snapshots.set(id, record);
    // A failed read is not remembered: the next request asks again.
    value.catch(() => {
      if (this.snapshots.get(id) === record) this.snapshots.delete(id);
    });
    // The oldest first (a re-read moves an id to the end): drop two expired ones per read, so
    // plans nobody asks for do not hold their measurements here; and never more than the bound.
    for (let i = 0; i < 2; i++) {
      const [oldestId, oldest] = this.snapshots.entries().next().value!;
      if (oldest === record || nowMs - oldest.at < this.revalidateMs) break;
      this.snapshots.delete(oldestId);
    }
    if (this.snapshots.size > MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value!);
    return value;
  }

  get(key: string): CachedEntry | undefined {
    const hit = this.entries.get(key);
    if (hit) this.stats.hits++;
    return hit;
  }

  /** Renders once however many requests miss together; the entry is kept if it fits the bound. */
  fill(key: string, build: () => Promise<CachedEntry>): Promise<CachedEntry> {
    let p = this.pending.get(key);
    if (!p) {
      this.stats.renders++;
      p = build()
        .then((entry) => {
          if (this.pending.get(key) === p) this.entries.set(key, entry, entry.bytes);
          return entry;
        })
        .finally(() => {
          if (this.pending.get(key) === p) this.pending.delete(key);
        });
      this.pending.set(key, p);
    }
    return p;
  }

  /** Something was written through this process: ask the database what is published on the next request. */
  changed(): void {
    this.snapshots.clear();
  }

  /**
   * A plan was published or withdrawn here: forget what this process knew of every plan's
   * publication (a few re-reads) and drop the plan's responses, so the change shows at once.
   */
  forget(planId: number): void {
    this.snapshots.clear();
    // A render in flight for the old state must not be stored after this.
    for (const key of [...this.pending.keys()]) if (key.startsWith(`${planId}:`)) this.pending.delete(key);
    this.entries.deleteWhere((key) => key.startsWith(`${planId}:`));
  }
}

/** Today's date in Japan (YYYY-MM-DD): Japan keeps no daylight saving time, so UTC+9 always. */
export function japanDate(nowMs: number): string {
  return new Date(nowMs + 9 * 3600_000).toISOString().slice(0, 10);
}
