/**
 * The secret that signs web chat session ids and tokens: SESSION_SECRET when set, else one
 * generated on first start and kept in the database (the `settings` collection, one document
 * read by `_id`), so every instance of an install, and every restart, signs with the same key.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { isDuplicateKeyError } from '../../src/kernel/db/errors.js';

const SETTING_ID = 'webchat-session-secret';

interface SecretSetting {
  _id: string;
  value: { secret: string };
  createdAt: Date;
}

function settings() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('web chat: the database is not connected');
  return db.collection<SecretSetting>('settings');
}

async function storedSecret(): Promise<string | undefined> {
  const doc = await settings().findOne({ _id: SETTING_ID });
  const secret = doc?.value?.secret;
  return typeof secret === 'string' && secret.length >= 32 ? secret : undefined;
}

/** Race-safe across instances starting together: one `_id` insert wins, the others read it. */
export async function resolveSessionSecret(configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const existing = await storedSecret();
  if (existing) return existing;
  const candidate = randomBytes(32).toString('base64url');
  try {
    await settings().insertOne({
      _id: SETTING_ID,
      value: { secret: candidate },
      createdAt: new Date(),
    });
    return candidate;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const winner = await storedSecret();
    if (!winner) throw err;
    return winner;
  }
}
