/**
 * The one mapping from domain errors to HTTP answers (no app boot): each kind's status, the code
 * and message passed through untouched, and the statuses the API has always given.
 */
import { describe, expect, it } from 'vitest';
import {
  DomainError,
  busy,
  conflict,
  forbidden,
  invalid,
  isDomainError,
  notFound,
  unauthenticated,
  unavailable,
} from '../../src/kernel/errors.js';
import { HttpError, STATUS_OF_KIND, errorReply } from '../../src/http/errors.js';
import { LoginThrottledError } from '../../src/features/auth/login-throttle.js';

describe('errorReply', () => {
  it.each([
    [invalid('invalid_owner', 'bad owner'), 400, 'invalid_owner'],
    [
      unauthenticated('invalid_credentials', 'Wrong email or password.'),
      401,
      'invalid_credentials',
    ],
    [forbidden('csrf', 'send the header'), 403, 'csrf'],
    [notFound('The lead'), 404, 'not_found'],
    [conflict('email_taken', 'taken'), 409, 'email_taken'],
    [new LoginThrottledError(90_000), 429, 'login_throttled'],
    [busy('busy', 'Try again in a moment.'), 503, 'busy'],
    [unavailable('auth_unavailable', 'keys are down'), 503, 'auth_unavailable'],
  ])('maps %s to its status and keeps its code', (err, status, code) => {
    const reply = errorReply(err);
    expect(reply).toEqual({ status, body: { error: { code, message: err.message } } });
  });

  it('says what was not found', () => {
    expect(errorReply(notFound('The segment'))?.body.error.message).toBe(
      'The segment was not found.',
    );
  });

  it('keeps the status an HttpError chose', () => {
    expect(errorReply(new HttpError(414, 'uri_too_long', 'too long'))).toEqual({
      status: 414,
      body: { error: { code: 'uri_too_long', message: 'too long' } },
    });
  });

  it('leaves other errors to the handler (no status guessed, nothing leaked)', () => {
    expect(errorReply(new Error('database password is hunter2'))).toBeUndefined();
    expect(errorReply({ statusCode: 400 })).toBeUndefined();
  });

  it('has a status for every kind, and only 4xx/503', () => {
    for (const status of Object.values(STATUS_OF_KIND)) {
      expect(status === 503 || (status >= 400 && status < 500)).toBe(true);
    }
    expect(Object.keys(STATUS_OF_KIND).sort()).toEqual(
      [
        'busy',
        'conflict',
        'forbidden',
        'invalid',
        'not_found',
        'rate_limited',
        'unauthenticated',
        'unavailable',
      ].sort(),
    );
  });
});

describe('domain errors', () => {
  it('carry no HTTP status', () => {
    expect('status' in conflict('last_admin', 'x')).toBe(false);
  });

  it('login throttling says how long to wait', () => {
    const err = new LoginThrottledError(90_000);
    expect(err.retryAfterMs).toBe(90_000);
    expect(err.message).toContain('90 s');
    expect(new LoginThrottledError(300_000).message).toContain('5 min');
    expect(isDomainError(err, 'login_throttled')).toBe(true);
    expect(err).toBeInstanceOf(DomainError);
  });

  it('isDomainError matches on code', () => {
    expect(isDomainError(conflict('email_taken', 'x'), 'email_taken')).toBe(true);
    expect(isDomainError(conflict('email_taken', 'x'), 'setup_done')).toBe(false);
    expect(isDomainError(new HttpError(409, 'email_taken', 'x'), 'email_taken')).toBe(false);
  });
});
