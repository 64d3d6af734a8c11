import { documentReader, type DocumentReader } from '../app/read-document.ts';
import type { Session, Store, User } from '../store/store.ts';
import { PublishedCache } from './published/cache.ts';

export interface Auth {
  user: User;
  session: Session;
}

export interface AppOptions {
  store: Store;
  /** Secure cookies: true/false, or "auto" to follow the request's scheme (X-Forwarded-Proto when trustProxy). */
  secureCookies?: boolean | 'auto';
  /** Behind a reverse proxy: believe X-Forwarded-For / X-Forwarded-Proto. */
  trustProxy?: boolean;
  /** Injected clock, so tests can move past rate-limit windows and session expiry. */
  now?: () => Date;
  /** Failed sign-ins allowed per user name (and ×4 per address) in the window. */
  loginLimit?: { maxFailures: number; windowMinutes: number };
  sessionHours?: number;
  /** Rendered public responses (src/server/published/); one per process. Default: 32 MB, revalidated every second. */
  publishedCache?: PublishedCache;
  /** Reads uploaded documents, PDFs and workbooks in worker threads (src/app/read-document.ts). Default: the process's reader. */
  documentReader?: DocumentReader;
}

export interface AppConfig {
  store: Store;
  secureCookies: boolean | 'auto';
  trustProxy: boolean;
  now: () => Date;
  loginLimit: { maxFailures: number; windowMinutes: number };
  sessionHours: number;
  published: PublishedCache;
  documentReader: DocumentReader;
}

export interface AppEnv {
  Variables: {
    config: AppConfig;
    auth: Auth | null;
  };
}

export function resolveConfig(options: AppOptions): AppConfig {
  return {
    store: options.store,
    secureCookies: options.secureCookies ?? 'auto',
    trustProxy: options.trustProxy ?? false,
    now: options.now ?? (() => new Date()),
    loginLimit: options.loginLimit ?? { maxFailures: 5, windowMinutes: 15 },
    sessionHours: options.sessionHours ?? 12,
    published: options.publishedCache ?? new PublishedCache(),
    documentReader: options.documentReader ?? documentReader(),
  };
}
