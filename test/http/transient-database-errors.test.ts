/**
 * A replica set electing a primary (or no reachable database) is "retry shortly", not a server
 * failure: the HTTP layer answers 503 with Retry-After so platforms redeliver a webhook instead
 * of dropping it after a 500. Any other error stays a 500. No app boot: the HTTP server alone.
 */
import { MongoNetworkError, MongoServerError } from 'mongodb';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../src/http/server.js';
import { isTransientDatabaseError } from '../../src/kernel/db/errors.js';

const notPrimary = () =>
  new MongoServerError({ message: 'not primary', code: 10107, codeName: 'NotWritablePrimary' });
const steppedDown = () =>
  new MongoServerError({ message: 'stepped down', code: 189, codeName: 'PrimarySteppedDown' });

describe('transient database errors', () => {
  let server: FastifyInstance;
  let fail: () => Error = notPrimary;
  beforeAll(async () => {
    server = await createHttpServer(pino({ level: 'silent' }));
    server.post('/webhook', async () => {
      throw fail();
    });
    await server.ready();
  });
  afterAll(async () => server?.close());

  it.each([
    ['a write to a node that is no longer primary', notPrimary],
    ['a primary stepping down mid-request', steppedDown],
    ['a lost connection', () => new MongoNetworkError('connection reset')],
  ])('answers %s with 503 and Retry-After', async (_what, error) => {
    fail = error;
    const res = await server.inject({ method: 'POST', url: '/webhook', payload: {} });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({
      error: { code: 'database_unavailable', message: expect.stringMatching(/retry/) },
    });
  });

  it('keeps any other error a 500', async () => {
    fail = () =>
      new MongoServerError({ message: 'bad update', code: 9, codeName: 'FailedToParse' });
    const res = await server.inject({ method: 'POST', url: '/webhook', payload: {} });
    expect(res.statusCode).toBe(500);
    expect(isTransientDatabaseError(new Error('boom'))).toBe(false);
  });
});
