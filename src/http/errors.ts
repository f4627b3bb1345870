/**
 * The one place errors become HTTP answers. Services throw domain errors (`src/kernel/errors.ts`,
 * a kind and a code, no status); `STATUS_OF_KIND` gives each kind its status, and the server's
 * error handler sends `errorReply(err)` as `{error: {code, message}}`. Route modules may also
 * throw `HttpError` when the status is about HTTP itself (a missing crc_token, a bad signature).
 */
import { DomainError, type DomainErrorKind } from '../kernel/errors.js';

/** An error with its HTTP status chosen by the route that throws it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const STATUS_OF_KIND: Readonly<Record<DomainErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  // Both mean "try again in a moment"; 503 lets proxies and clients retry.
  busy: 503,
  unavailable: 503,
};

export interface ErrorReply {
  status: number;
  body: { error: { code: string; message: string } };
}

/** The answer for a domain or HTTP error; undefined for anything else (the handler decides). */
export function errorReply(err: unknown): ErrorReply | undefined {
  if (err instanceof DomainError) {
    return {
      status: STATUS_OF_KIND[err.kind],
      body: { error: { code: err.code, message: err.message } },
    };
  }
  if (err instanceof HttpError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message } } };
  }
  return undefined;
}

export const badRequest = (code: string, message: string) => new HttpError(400, code, message);
export const unauthorized = (message = 'A valid bearer token is required.') =>
  new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'The request signature is not valid.') =>
  new HttpError(403, 'forbidden', message);
export { notFound } from '../kernel/errors.js';
