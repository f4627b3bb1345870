/**
 * A content-addressed cache on disk for results that are expensive to compute and pure in their
 * inputs (trained NLU models, catalogue reports). Keys are hashes of everything the result depends
 * on (`cacheKey`), so an entry is never stale: a change of data, options or code is a new key.
 *
 * Safe with several processes sharing the directory (test workers, instances on one volume): an
 * entry is written to a temporary file and renamed into place, so a reader sees a whole entry or
 * none. Each entry carries a checksum of its payload; a truncated, corrupt or foreign file reads
 * as a miss (and is removed), never as an error. Writing failures are swallowed too: the cache only
 * ever saves work.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

const MAGIC = 'charla-cache-1';
const KEY = /^[0-9a-f]{16,128}$/;

export interface DiskCache {
  readonly dir: string;
  /** The payload stored under `key`, or undefined (missing or invalid). */
  get(key: string): Promise<Buffer | undefined>;
  /** Stores `payload` under `key`; never throws. */
  set(key: string, payload: Buffer): Promise<void>;
}

/** A hex key for `parts` (strings, buffers or JSON-able values), order-sensitive. */
export function cacheKey(...parts: unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes =
      typeof part === 'string' || Buffer.isBuffer(part) ? part : JSON.stringify(part ?? null);
    hash
      .update(String(Buffer.byteLength(bytes)))
      .update(':')
      .update(bytes);
  }
  return hash.digest('hex');
}

const checksum = (payload: Buffer) => createHash('sha256').update(payload).digest('hex');

/** Header line: magic, key, payload length, payload checksum; then the payload. */
function encode(key: string, payload: Buffer): Buffer {
  const header = `${MAGIC} ${key} ${payload.length} ${checksum(payload)}\n`;
  return Buffer.concat([Buffer.from(header, 'latin1'), payload]);
}

function decode(key: string, file: Buffer): Buffer | undefined {
  const newline = file.indexOf(10);
  if (newline < 0 || newline > 512) return undefined;
  const [magic, storedKey, length, sum] = file.subarray(0, newline).toString('latin1').split(' ');
  if (magic !== MAGIC || storedKey !== key) return undefined;
  const payload = file.subarray(newline + 1);
  if (payload.length !== Number(length) || checksum(payload) !== sum) return undefined;
  return payload;
}

/** Leftover temporary files older than this are removed when the cache opens. */
const STALE_TEMP_MS = 10 * 60_000;

async function sweepTemporaries(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.includes('.tmp-')) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) await unlink(file).catch(() => {});
  }
}

export function createDiskCache(dir: string): DiskCache {
  const fileOf = (key: string) => {
    if (!KEY.test(key)) throw new Error('cache keys are hex digests (cacheKey)');
    return path.join(dir, `${key}.bin`);
  };
  let ready: Promise<void> | undefined;
  const prepare = () =>
    (ready ??= mkdir(dir, { recursive: true }).then(() => sweepTemporaries(dir)));
  return {
    dir,
    async get(key) {
      const file = fileOf(key);
      const bytes = await readFile(file).catch(() => undefined);
      if (!bytes) return undefined;
      const payload = decode(key, bytes);
      if (!payload) await unlink(file).catch(() => {});
      return payload;
    },
    async set(key, payload) {
      const file = fileOf(key);
      const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        await prepare();
        await writeFile(temp, encode(key, payload));
        await rename(temp, file);
      } catch {
        await unlink(temp).catch(() => {});
      }
    },
  };
}

/**
 * A fingerprint of the code in `paths` (files, or directories whose .ts/.js/.json files count),
 * for cache keys: a change to that code makes every key computed with it new.
 */
export async function sourceVersion(paths: string[]): Promise<string> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) continue;
    if (!info.isDirectory()) files.push(p);
    else
      for (const name of (await readdir(p)).sort())
        if (/\.(ts|js|json)$/.test(name) && !name.endsWith('.d.ts')) files.push(path.join(p, name));
  }
  const hash = createHash('sha256');
  for (const file of files)
    hash.update(path.basename(file).replace(/\.(ts|js)$/, '')).update(await readFile(file));
  return hash.digest('hex').slice(0, 32);
}
