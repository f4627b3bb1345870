/** True for MongoDB's duplicate-key error (E11000), which FerretDB reports the same way. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

type WriteError = { code?: number; err?: { code?: number } };

/** True when a batch insert (`ordered: false`) failed only on documents that already existed. */
export function allDuplicates(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const writeErrors = (err as { writeErrors?: WriteError[] | WriteError }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length === 0) return isDuplicateKeyError(err);
  return list.every((e) => (e.code ?? e.err?.code) === 11000);
}

/**
 * Server codes a replica set answers while it elects a primary or a node steps down: the write
 * was not done, and the same request a few seconds later will be.
 */
const ELECTION_CODES = new Set([
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** The driver's names for "no server to talk to right now" (selection timed out, socket lost). */
const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongooseServerSelectionError',
]);

/**
 * True for a database error that means "unavailable for a moment" — a primary election, a
 * stepped-down node, no reachable server — rather than a bad request or a bug. HTTP answers it
 * with 503 and Retry-After, so platforms redeliver instead of giving up on a 500.
 */
export function isTransientDatabaseError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: string; code?: unknown; hasErrorLabel?: (label: string) => boolean };
  if (e.name && UNREACHABLE.has(e.name)) return true;
  if (typeof e.code === 'number' && ELECTION_CODES.has(e.code)) return true;
  return e.hasErrorLabel?.('RetryableWriteError') === true;
}
