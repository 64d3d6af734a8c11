/**
 * Child processes for the load bench: `hoshin serve` (one process or `--workers N`) on a
 * database of its own, and what the kernel says about their memory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { startHoshin as startServe, type RunningHoshin } from '../../test/support/hoshin-process.ts';

export const BENCH_ADMIN_PASSWORD = 'bench-admin-password-0001';

export type { RunningHoshin } from '../../test/support/hoshin-process.ts';

/** `hoshin serve` for the bench, with the bench's administrator password. */
export function startHoshin(databaseUrl: string, options: { workers?: number; cwd: string; timeoutMs?: number }): Promise<RunningHoshin> {
  return startServe(databaseUrl, { ...options, adminPassword: BENCH_ADMIN_PASSWORD });
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain GET, as curl would send it: no Accept-Encoding, so the bytes are the uncompressed ones. */
export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface ProcessMemory {
  pid: number;
  role: string;
  /** Resident set now, and its peak (VmHWM), in MB. */
  rssMB: number;
  peakMB: number;
}

function statusField(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

export function memoryOf(pid: number, role: string): ProcessMemory {
  return { pid, role, rssMB: round1(statusField(pid, 'VmRSS')), peakMB: round1(statusField(pid, 'VmHWM')) };
}

/** The process and every descendant (cluster workers, esbuild's service for tsx), each with its memory. */
export function memoryTree(pid: number): ProcessMemory[] {
  const out: ProcessMemory[] = [memoryOf(pid, 'main')];
  const visit = (parent: number) => {
    for (const child of childrenOf(parent)) {
      let role = 'helper';
      try {
        const cmd = readFileSync(`/proc/${child}/cmdline`, 'utf8');
        role = cmd.includes('hoshin.js') ? 'worker' : cmd.split('\0')[0]!.split('/').pop()!;
        out.push(memoryOf(child, role));
      } catch {
        continue; // gone meanwhile
      }
      visit(child);
    }
  };
  visit(pid);
  return out;
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
