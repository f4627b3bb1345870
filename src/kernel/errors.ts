/**
 * Domain errors: what went wrong, in the domain's words. Services, stores and channel adapters
 * throw these; they carry a kind (what sort of failure), a stable code (what clients match on)
 * and a message, but no HTTP status — `src/http/errors.ts` maps each kind to a status in one
 * table, and the server's error handler answers `{error: {code, message}}`.
 */

/** The sorts of failure a caller can act on differently. */
export type DomainErrorKind =
  | 'invalid' // the input is wrong: fix it and send again
  | 'unauthenticated' // who is asking is unknown: sign in / send a valid credential
  | 'forbidden' // who is asking may not do this
  | 'not_found'
  | 'conflict' // the state does not allow it (already done, taken, last admin…)
  | 'rate_limited' // too many attempts: wait
  | 'busy' // someone else holds it right now: try again in a moment
  | 'unavailable'; // a dependency is down: try again later

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (err: unknown, code?: string): err is DomainError =>
  err instanceof DomainError && (code === undefined || err.code === code);

export const invalid = (code: string, message: string) => new DomainError('invalid', code, message);

export const unauthenticated = (code: string, message: string) =>
  new DomainError('unauthenticated', code, message);

export const forbidden = (code: string, message: string) =>
  new DomainError('forbidden', code, message);

/** `notFound('The lead')` → code `not_found`, "The lead was not found." */
export const notFound = (what: string) =>
  new DomainError('not_found', 'not_found', `${what} was not found.`);

export const conflict = (code: string, message: string) =>
  new DomainError('conflict', code, message);

export const busy = (code: string, message: string) => new DomainError('busy', code, message);

export const unavailable = (code: string, message: string) =>
  new DomainError('unavailable', code, message);

/** Too many attempts; `retryAfterMs` says how long to wait (routes send it as Retry-After). */
export class RateLimitedError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super('rate_limited', code, message);
    this.name = 'RateLimitedError';
  }
}
