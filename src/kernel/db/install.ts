/**
 * The install id: a random id stored in the database on first start, so everything that shares
 * Redis (queue names, locks, pub/sub, rate-limit counters) can be namespaced by the database it
 * belongs to. Two installs on two databases then never share queues, even on one Redis.
 */
import { randomBytes } from 'node:crypto';
import { Setting } from './models/setting.js';
import { isDuplicateKeyError } from './errors.js';

const INSTALL = 'install';

/** Install ids are 16 lowercase hex characters. */
export const INSTALL_ID_PATTERN = /^[0-9a-f]{16}$/;

async function storedInstallId(): Promise<string | undefined> {
  const doc = await Setting.findById(INSTALL).lean<{ value?: { installId?: unknown } }>();
  const id = doc?.value?.installId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Returns this database's install id, creating it on first start. Race-safe across processes
 * starting together: the document is inserted by `_id`, so exactly one insert wins and everyone
 * reads the winner's id.
 */
export async function ensureInstallId(): Promise<string> {
  const existing = await storedInstallId();
  if (existing) return existing;
  const candidate = randomBytes(8).toString('hex');
  try {
    await Setting.create({ _id: INSTALL, value: { installId: candidate } });
    return candidate;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const winner = await storedInstallId();
    if (!winner) throw err;
    return winner;
  }
}
