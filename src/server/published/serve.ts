import type { Context, Handler, Next } from 'hono';
import type { Viewer } from '../views/layout.tsx';
import type { MeasurementRecord, PublishedPlan, RatingScaleRecord, Store } from '../../store/store.ts';
import type { AppConfig, AppEnv } from '../context.ts';
import { intParam, viewerOf } from '../respond.tsx';
import { SECURITY_HEADERS } from '../security.ts';
import { buildEntry, japanDate, readSnapshot, type CachedEntry, type PublishedSnapshot } from './cache.ts';
import { chooseCoding, contentDisposition, notModified, PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL } from './http.ts';

/** What a format's renderer gets: the published revision and what is kept beside it, as read for the cache key. */
export interface RenderInput {
  store: Store;
  published: PublishedPlan;
  measurements: MeasurementRecord[];
  cityScales: RatingScaleRecord[];
  /** Today in Japan (YYYY-MM-DD), for formats that say what is due or overdue. */
  today: string;
  /** The plan's last change: the date documents carry. */
  lastChange: Date;
  /** Who is looking, for pages that say so; null in every cached render. */
  viewer: Viewer | null;
}

/** One public response of a published plan: the page, a JSON version, a download. */
export interface PublishedFormat {
  /** Its part of the cache key; unique among formats. */
  name: string;
  mediaType: string;
  /** Worth compressing (text); PDF and xlsx are compressed inside already. */
  compress: boolean;
  /** Shows who is signed in (the site header): cached for visitors only, never for a signed-in user. */
  perViewer?: boolean;
  /** Changes with the date (indicator status): today's date is part of the key. */
  daily?: boolean;
  /** A download: the saved file's name, and an ASCII fallback for old clients. */
  fileName?: (p: PublishedSnapshot) => { name: string; ascii: string };
  render(input: RenderInput): Promise<string | Uint8Array>;
}

const encoder = new TextEncoder();
function bytesOf(body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return encoder.encode(body);
  return body.buffer instanceof ArrayBuffer ? (body as Uint8Array<ArrayBuffer>) : new Uint8Array(body);
}

/** A response made once and cached: what it is, and how to make it. */
export interface RenderedSpec {
  /** Names exactly the inputs of render(null): equal keys, equal bytes. */
  key: string;
  mediaType: string;
  compress: boolean;
  perViewer: boolean;
  lastModified: Date;
  download?: { name: string; ascii: string } | undefined;
  render(viewer: Viewer | null): Promise<string | Uint8Array>;
}

function headersFor(spec: RenderedSpec, cacheControl: string): Record<string, string> {
  const vary = [spec.compress ? 'Accept-Encoding' : '', spec.perViewer ? 'Cookie' : ''].filter(Boolean).join(', ');
  return {
    ...SECURITY_HEADERS,
    'Content-Type': spec.mediaType,
    'Cache-Control': cacheControl,
    ...(vary ? { Vary: vary } : {}),
    ...(spec.download ? { 'Content-Disposition': contentDisposition(spec.download.name, spec.download.ascii) } : {}),
  };
}

/** The entry's answer to this request: 304, 406, or the body in the best coding the client takes (none for HEAD). */
export function respondCached(c: Context<AppEnv>, entry: CachedEntry): Response {
  const coding = chooseCoding(c.req.header('accept-encoding'), entry.codings);
  if (coding === null) {
    return new Response('この内容を送れる符号化(Content-Encoding)がありません。Accept-Encoding に identity を含めてください。', {
      status: 406,
      headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': PRIVATE_CACHE_CONTROL },
    });
  }
  const variant = entry.variants[coding]!;
  if (notModified({ ifNoneMatch: c.req.header('if-none-match'), ifModifiedSince: c.req.header('if-modified-since') }, variant.etag, entry.lastModified)) {
    return new Response(null, { status: 304, headers: variant.notModifiedHeaders });
  }
  return new Response(c.req.method === 'HEAD' ? null : variant.body, { status: 200, headers: variant.headers });
}

/**
 * Serves `spec` from the cache, rendering it on the first request (once, however many ask
 * together). A page that shows who is signed in is rendered for a signed-in user and never
 * stored or cached anywhere.
 */
export async function serveRendered(c: Context<AppEnv>, spec: RenderedSpec): Promise<Response> {
  if (spec.perViewer && c.var.auth) {
    const body = bytesOf(await spec.render(viewerOf(c)));
    return new Response(c.req.method === 'HEAD' ? null : body, { status: 200, headers: headersFor(spec, PRIVATE_CACHE_CONTROL) });
  }
  const cache = c.var.config.published;
  const entry = cache.get(spec.key) ?? await cache.fill(spec.key, async () => buildEntry({
    body: bytesOf(await spec.render(null)),
    lastModified: spec.lastModified,
    compress: spec.compress,
    headers: headersFor(spec, PUBLIC_CACHE_CONTROL),
  }));
  return respondCached(c, entry);
}

/**
 * Serves a format of the published plan named by :slug/:fiscalYear, or `missing()` when
 * nothing is published there.
 */
export async function servePublished(c: Context<AppEnv>, format: PublishedFormat, missing: () => Response | Promise<Response>): Promise<Response> {
  const fiscalYear = intParam(c.req.param('fiscalYear'));
  const slug = c.req.param('slug');
  if (fiscalYear === undefined || slug === undefined) return missing();
  const { store, now, published: cache } = c.var.config;
  // A signed-in user may have just changed the plan: their own page is read fresh.
  const personal = format.perViewer === true && c.var.auth !== null && c.var.auth !== undefined;
  const snapshot = personal ? await readSnapshot(store, slug, fiscalYear) : await cache.snapshot(store, slug, fiscalYear);
  if (!snapshot) return missing();
  const today = japanDate(now().getTime());
  // A page that shows the date's status last changed at midnight in Japan at the latest.
  const midnight = format.daily ? Date.parse(`${today}T00:00:00+09:00`) : 0;
  return serveRendered(c, {
    key: `${snapshot.key}|${format.name}${format.daily ? `|${today}` : ''}`,
    mediaType: format.mediaType,
    compress: format.compress,
    perViewer: format.perViewer === true,
    lastModified: new Date(Math.max(snapshot.lastChange.getTime(), midnight)),
    download: format.fileName?.(snapshot),
    async render(viewer) {
      const revision = await store.getRevision(snapshot.summary.id, snapshot.summary.publishedRevision);
      if (!revision) throw new Error(`published revision ${snapshot.summary.publishedRevision} of plan ${snapshot.summary.id} is missing`);
      const published: PublishedPlan = { organization: snapshot.organization, summary: snapshot.summary, revision };
      return format.render({
        store, published, measurements: snapshot.measurements, cityScales: snapshot.cityScales, today, lastChange: snapshot.lastChange, viewer,
      });
    },
  });
}

const SESSION_COOKIE = /(?:^|;\s*)(?:__Host-)?hoshin_session=/;
/** A control character in a path, raw or percent-encoded (C0 and DEL): left to the app's own 404. */
const CONTROL_IN_PATH = /%(?:[01][0-9a-f]|7f)|\p{Cc}/iu;

/**
 * A cached route ahead of every middleware, for the common case: a visitor reading a published
 * page. Anything else (a signed-in user on a page that shows it, nothing published there, an
 * odd path) goes on through the app as usual, which ends in the route's own handler. The
 * security headers are in the cached entry already.
 */
export function fastRoute(
  config: AppConfig,
  perViewer: boolean,
  serve: (c: Context<AppEnv>, missing: () => Response) => Promise<Response>,
): Handler<AppEnv> {
  return async (c: Context<AppEnv>, next: Next) => {
    const declined = CONTROL_IN_PATH.test(c.req.path) || (perViewer && SESSION_COOKIE.test(c.req.header('cookie') ?? ''));
    if (!declined) {
      c.set('config', config);
      let missing = false;
      const response = await serve(c, () => {
        missing = true;
        return new Response(null);
      });
      if (!missing) return response;
    }
    await next();
    return undefined;
  };
}

export function fastPublished(config: AppConfig, format: PublishedFormat): Handler<AppEnv> {
  return fastRoute(config, format.perViewer === true, (c, missing) => servePublished(c, format, missing));
}
