/** Files the store creates hold every plan, user and password hash: owner-only from the first byte. */
import { closeSync, mkdirSync, openSync } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates an empty file readable by its owner only; refuses one that exists (never
 * overwrites). Created before any data is written, so there is no moment it is world-readable.
 */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
}

/** Creates an empty owner-only file unless it exists already (a database being reopened). */
export function ensurePrivateFile(path: string): void {
  try {
    createPrivateFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/** The directory and any missing parents, owner-only when created here (existing ones are left as they are). */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}
