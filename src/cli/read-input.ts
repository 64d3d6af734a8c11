import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MAX_DOCUMENT_BYTES } from '../formats/index.ts';

export type ReadResult = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

/**
 * A document's bytes, refusing what is not a readable file before reading it whole: a
 * directory, a missing file, or one larger than any plan could be (read only far enough
 * to say so).
 */
export async function readDocumentFile(cwd: string, file: string): Promise<ReadResult> {
  const path = resolve(cwd, file);
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { ok: false, message: 'ディレクトリです(ファイルを指定してください)' };
    if (info.size > MAX_DOCUMENT_BYTES) {
      return { ok: false, message: `ファイルが大きすぎます(${(info.size / 1024 / 1024).toFixed(1)} MB、上限 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB)` };
    }
    const handle = await open(path, 'r');
    try {
      // Read one byte past the limit so a file that grew after stat is still caught by the decoder.
      const buffer = Buffer.alloc(Math.min(info.size, MAX_DOCUMENT_BYTES) + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return { ok: true, bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead) };
    } finally {
      await handle.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: 'ファイルが見つかりません' };
    if (code === 'EACCES') return { ok: false, message: 'ファイルを読む権限がありません' };
    return { ok: false, message: `ファイルを読めません(${code ?? (e as Error).message})` };
  }
}

export async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > MAX_DOCUMENT_BYTES) break;
  }
  return new Uint8Array(Buffer.concat(chunks));
}
