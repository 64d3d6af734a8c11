/**
 * Reading an uploaded or imported document, with PDFs and workbooks read in worker threads under
 * a time and memory limit.
 *
 * pdfjs and exceljs are other people's parsers of formats built for recovery: a broken PDF can make
 * pdfjs rebuild its cross-reference table in quadratic time (a 1 MB file: minutes of one
 * synchronous run, docs/fuzzing.md finding 10), which on the server's own thread stops every
 * request. In a worker the server goes on answering, the read is ended when it outlasts its limit,
 * and what the parser allocated goes with the thread instead of staying in the server's heap.
 * Text and JSON are our own linear parsers and are read in place.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { error as errorDiagnostic } from '../domain/diagnostic.ts';
import { isPdf, isWorkbookDocument, parseDocumentAsync, pdfjsResources, type ParseResult } from '../formats/index.ts';
import { parseJson } from '../formats/json/parse.ts';

export type ReadResult = ParseResult & { layout?: string };

export interface ReadOptions {
  /** A layout profile's name, as `--layout` gives it. */
  layout?: string;
  /** The year for a layout whose title names none. */
  fiscalYear?: number;
}

export interface ReaderLimits {
  /** How long one document may take before its worker is ended. */
  timeoutMs: number;
  /** The worker's V8 old-generation limit, in MB. */
  memoryMb: number;
  /** Workers reading at once; further documents wait. */
  maxConcurrent: number;
  /** Documents that may wait for a worker; beyond them `ReaderBusyError`. */
  maxWaiting: number;
  /** An idle worker is kept this long for the next document, then ended to give back its memory. */
  idleMs: number;
  /** A worker is replaced after this many documents, so what a parser leaks does not accumulate. */
  readsPerWorker: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = {
  timeoutMs: 60_000,
  memoryMb: 1024,
  maxConcurrent: 2,
  maxWaiting: 8,
  idleMs: 10_000,
  readsPerWorker: 200,
};

/** Too many documents are being read at once: the caller should ask again later (HTTP 503). */
export class ReaderBusyError extends Error {
  constructor() {
    super('ほかのファイルの読み込みが混み合っています。しばらくしてからもう一度お試しください。');
    this.name = 'ReaderBusyError';
  }
}

/** The message a worker is sent (read-document-worker.ts). */
export interface ReadRequest extends ReadOptions {
  id: number;
  bytes: Uint8Array;
  fileName?: string;
}

export type ReadResponse =
  | { id: number; ok: true; result: Omit<ReadResult, 'plan'>; planJson?: string }
  | { id: number; ok: false; message: string };

/** Whether a document goes to a worker: PDFs and workbooks, as `parseDocumentAsync` tells them. */
function needsWorker(bytes: Uint8Array, fileName: string | undefined): boolean {
  return isPdf(bytes) || isWorkbookDocument(bytes, fileName);
}

/**
 * Where the worker's code is. `hoshin serve` runs a bundle (bin/bundle.js) with the worker built
 * beside it as read-document-worker.js; everything else runs these sources through tsx, whose
 * loader a worker thread does not inherit on Node 20, so the worker starts by registering it.
 */
function startWorker(limits: ReaderLimits): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: limits.memoryMb };
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./read-document-worker.js', here), { resourceLimits });
  const tsxApi = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
  const entry = new URL('./read-document-worker.ts', here).href;
  const boot = `const { tsImport } = await import(${JSON.stringify(tsxApi)}); await tsImport(${JSON.stringify(entry)}, import.meta.url);`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { resourceLimits });
}

/** The worker's result with its plan read back from the JSON it was sent as. */
function withPlan(result: Omit<ReadResult, 'plan'>, planJson: string | undefined): ReadResult {
  if (planJson === undefined) return result;
  const { plan, diagnostics } = parseJson(planJson);
  // Every plan a reader accepts is written and read back as JSON unchanged (the fuzzer's oracle).
  if (!plan) throw new Error(`読み取った計画のJSONを読み戻せません: ${diagnostics.map((d) => d.message).join(' / ')}`);
  return { ...result, plan };
}

interface PooledWorker {
  worker: Worker;
  reads: number;
  idleTimer?: NodeJS.Timeout;
}

export class DocumentReader {
  private readonly limits: ReaderLimits;
  private readonly idle: PooledWorker[] = [];
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;

  constructor(limits: Partial<ReaderLimits> = {}) {
    this.limits = { ...DEFAULT_READER_LIMITS, ...limits };
  }

  /** Reads a document of any format; a PDF or workbook that outlasts the limits is answered with an error diagnostic. */
  async read(bytes: Uint8Array, fileName?: string, options: ReadOptions = {}): Promise<ReadResult> {
    if (!needsWorker(bytes, fileName)) return parseDocumentAsync(bytes, fileName, { pdf: pdfjsResources(), ...options });
    await this.acquire();
    try {
      return await this.readInWorker(bytes, fileName, options);
    } finally {
      this.release();
    }
  }

  /** Ends every idle worker (a reading one ends when its document is read). */
  async close(): Promise<void> {
    const idle = this.idle.splice(0);
    await Promise.all(idle.map(async (pooled) => {
      clearTimeout(pooled.idleTimer);
      await pooled.worker.terminate();
    }));
  }

  private async acquire(): Promise<void> {
    if (this.active < this.limits.maxConcurrent) {
      this.active++;
      return;
    }
    if (this.waiting.length >= this.limits.maxWaiting) throw new ReaderBusyError();
    // The slot is handed over by release(), so `active` stays counted.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private takeWorker(): PooledWorker {
    const reused = this.idle.pop();
    if (reused) {
      clearTimeout(reused.idleTimer);
      return reused;
    }
    const pooled: PooledWorker = { worker: startWorker(this.limits), reads: 0 };
    // A worker that ends while idle (it should not) must not be handed the next document.
    pooled.worker.on('exit', () => {
      const at = this.idle.indexOf(pooled);
      if (at >= 0) {
        clearTimeout(pooled.idleTimer);
        this.idle.splice(at, 1);
      }
    });
    return pooled;
  }

  private giveBack(pooled: PooledWorker): void {
    if (pooled.reads >= this.limits.readsPerWorker) {
      void pooled.worker.terminate();
      return;
    }
    pooled.idleTimer = setTimeout(() => {
      const at = this.idle.indexOf(pooled);
      if (at >= 0) this.idle.splice(at, 1);
      void pooled.worker.terminate();
    }, this.limits.idleMs);
    pooled.idleTimer.unref();
    // An idle worker must not keep a command-line process alive.
    pooled.worker.unref();
    this.idle.push(pooled);
  }

  private readInWorker(bytes: Uint8Array, fileName: string | undefined, options: ReadOptions): Promise<ReadResult> {
    const pooled = this.takeWorker();
    const { worker } = pooled;
    worker.ref();
    const id = this.nextId++;
    const format = isPdf(bytes) ? 'pdf' : 'xlsx';
    const what = format === 'pdf' ? 'PDFファイル' : 'Excelファイル';
    const failed = (message: string): ReadResult => ({ format, diagnostics: [errorDiagnostic(message)] });
    return new Promise<ReadResult>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void, keepWorker: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (keepWorker) this.giveBack(pooled);
        else void worker.terminate();
        outcome();
      };
      const timer = setTimeout(() => {
        settle(() => resolve(failed(
          `${what}を${Math.round(this.limits.timeoutMs / 1000)}秒以内に読み終えられなかったため、読み込みを中止しました。ファイルが壊れているか、構造が複雑すぎる可能性があります。`,
        )), false);
      }, this.limits.timeoutMs);
      const onMessage = (response: ReadResponse) => {
        if (response.id !== id) return;
        if (response.ok) settle(() => resolve(withPlan(response.result, response.planJson)), true);
        // The parser threw: a defect of ours, as it was before reading moved to a worker.
        else settle(() => reject(new Error(`文書の読み込みで予期しないエラーが起きました: ${response.message}`)), true);
      };
      const onError = (e: Error & { code?: string }) => {
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          settle(() => resolve(failed(
            `${what}の読み込みが使えるメモリ(${this.limits.memoryMb} MB)を超えたため、中止しました。ファイルが壊れているか、大きすぎる可能性があります。`,
          )), false);
        } else {
          // Anything else thrown in the worker (an unhandled rejection not pdfjs's, a worker
          // that cannot start) is a defect of ours: raised, as it would be on this thread.
          settle(() => reject(e), false);
        }
      };
      const onExit = (code: number) => {
        settle(() => reject(new Error(`文書を読むワーカーが終了コード ${code} で終了しました`)), false);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      pooled.reads++;
      // Only the known options cross: whatever else a caller's object holds stays here.
      const request: ReadRequest = {
        id,
        bytes,
        ...(fileName === undefined ? {} : { fileName }),
        ...(options.layout === undefined ? {} : { layout: options.layout }),
        ...(options.fiscalYear === undefined ? {} : { fiscalYear: options.fiscalYear }),
      };
      // Copied, not transferred: the caller keeps its bytes.
      worker.postMessage(request);
    });
  }
}

let shared: DocumentReader | undefined;

/**
 * The process's reader: the server and the command line use it. `HOSHIN_READ_TIMEOUT_S` and
 * `HOSHIN_READ_MEMORY_MB` change its limits (docs/deploy.md).
 */
export function documentReader(env: NodeJS.ProcessEnv = process.env): DocumentReader {
  shared ??= new DocumentReader(readerLimitsFromEnv(env));
  return shared;
}

export function readerLimitsFromEnv(env: NodeJS.ProcessEnv): Partial<ReaderLimits> {
  const positive = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} は正の数で指定してください(${JSON.stringify(raw)})`);
    return value;
  };
  const seconds = positive('HOSHIN_READ_TIMEOUT_S');
  const memoryMb = positive('HOSHIN_READ_MEMORY_MB');
  return {
    ...(seconds === undefined ? {} : { timeoutMs: Math.round(seconds * 1000) }),
    ...(memoryMb === undefined ? {} : { memoryMb: Math.round(memoryMb) }),
  };
}
