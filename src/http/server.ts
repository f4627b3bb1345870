/**
 * The HTTP server (fastify). JSON bodies are parsed here once, keeping the raw body for webhook
 * signature checks (Slack's forms: its receiver); every error leaves as `{error: {code, message}}`.
 */
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { completeOperation, describeRoutesForOpenApi, typeNullableReferences } from './openapi.js';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { HttpError, errorReply } from './errors.js';
import { clientErrorHandler, frameworkErrors, rejectLongUrls } from './framework-errors.js';
import type { TrustProxy } from '../kernel/config/trust-proxy.js';
import { storable } from '../kernel/storable-text.js';
import { isTransientDatabaseError } from '../kernel/db/errors.js';
import { replyDatabaseUnavailable } from './health.js';
import { originOf, sameOriginSignIn } from './same-origin.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, for signature verification. */
    rawBody?: string;
  }
}

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** fastify runs a hop count as "trust the n nearest hops"; its types want that as a function. */
const fastifyTrustProxy = (trust: TrustProxy) =>
  typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;

export interface HttpServerOptions {
  /** Who may set X-Forwarded-For (TRUST_PROXY); default: nobody, req.ip is the peer address. */
  trustProxy?: TrustProxy;
  /** PUBLIC_URL: the origin browser requests that change state must come from (./same-origin.ts). */
  publicUrl?: string;
}

export async function createHttpServer(
  logger: Logger,
  opts: HttpServerOptions = {},
): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Request lines are not logged: query strings can carry tokens (the web chat stream's).
    logController: new LogController({ disableRequestLogging: true }),
    // req.ip feeds rate limits and logs: a client must not be able to choose it (TRUST_PROXY).
    trustProxy: fastifyTrustProxy(opts.trustProxy ?? false),
    // Errors before a route runs (HTTP parser, router) keep the {error: {code, message}} shape.
    clientErrorHandler,
    frameworkErrors,
  });
  server.addHook('onRequest', rejectLongUrls);
  // Sign-in and every cookie-authenticated change: same-origin JSON only (./same-origin.ts).
  server.decorate('publicOrigin', originOf(opts.publicUrl));
  server.addHook('onRequest', sameOriginSignIn);

  // Request and response schemas are zod, declared once per route: they validate, type the
  // handler (`server.withTypeProvider<ZodTypeProvider>()`) and feed GET /api/openapi.json.
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);

  const keepRaw = (req: FastifyRequest, body: string) => {
    req.rawBody = body;
  };
  const parseJson = (
    req: FastifyRequest,
    body: string | Buffer,
    done: (err: Error | null, body?: unknown) => void,
  ) => {
    const text = body as string;
    keepRaw(req, text);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new HttpError(400, 'invalid_json', 'The request body is not valid JSON.'), undefined);
    }
  };
  server.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  // fastify matches strings literally: structured-syntax suffixes (+json) need a RegExp.
  server.addContentTypeParser(
    /^application\/[a-z0-9!#$&^_.-]+\+json(?:\s*;|$)/i,
    { parseAs: 'string' },
    parseJson,
  );
  // No form parser here: only Slack posts forms, and its receiver registers one for its own
  // routes (src/kernel/slack/receiver.ts). Anywhere else a form is 415, so a cross-site HTML form
  // cannot reach sign-in or any JSON route.

  // What the database cannot store (U+0000, lone surrogates) leaves every body, query and path
  // parameter before validation, whatever the route or its parser (src/kernel/storable-text.ts).
  // The raw body stays as received, for signature checks.
  server.addHook('preValidation', async (req) => {
    if (req.body !== undefined) req.body = storable(req.body);
    req.query = storable(req.query);
    req.params = storable(req.params);
  });

  server.setErrorHandler((err, req, reply) => {
    const known = errorReply(err);
    if (known) return reply.status(known.status).send(known.body);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: (v.instancePath || '/').replace(/^\//, '').replace(/\//g, '.'),
        message: v.message ?? 'invalid',
      }));
      const first = details[0];
      const where = first?.path ? `\`${first.path}\`: ` : '';
      return reply.status(400).send({
        error: {
          code: 'invalid_request',
          message: `${where}${first?.message ?? 'invalid request'}`,
          details,
        },
      });
    }
    if (isTransientDatabaseError(err)) {
      // A replica set electing a primary, or no reachable database: retry, not a failure.
      req.log.warn({ method: req.method, path: req.url.split('?')[0] }, 'database unavailable');
      return replyDatabaseUnavailable(reply);
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
    if (status >= 500) {
      // The path only: query strings carry filters with personal data (?email=) and stream tokens.
      req.log.error({ err, method: req.method, path: req.url.split('?')[0] }, 'request failed');
      return reply
        .status(500)
        .send({ error: { code: 'internal', message: 'Something went wrong on our side.' } });
    }
    const code =
      status === 413
        ? 'payload_too_large'
        : status === 415
          ? 'unsupported_media_type'
          : (e.code ?? 'bad_request').toLowerCase();
    return reply.status(status).send({ error: { code, message: e.message ?? 'Bad request.' } });
  });
  server.setNotFoundHandler((req, reply) =>
    reply.status(404).send({
      error: {
        code: 'not_found',
        message: `No route for ${req.method} ${req.url.split('?')[0]}.`,
      },
    }),
  );

  await server.register(websocket, { options: { maxPayload: 64 * 1024 } });
  describeRoutesForOpenApi(server);
  await server.register(swagger, {
    openapi: {
      info: {
        title: 'Charla API',
        version: '1',
        license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      },
      servers: [{ url: '/', description: 'This Charla server' }],
      components: {
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'charla_session' },
        },
      },
    },
    transform: (input) => jsonSchemaTransform(completeOperation(input)),
    // Schemas named with `.meta({ id })` become components/schemas, so their $refs resolve.
    transformObject: (input) => typeNullableReferences(jsonSchemaTransformObject(input)),
  });
  await server.register(swaggerUi, { routePrefix: '/api/docs' });
  server.get('/api/openapi.json', { schema: { hide: true } }, async () => server.swagger());
  return server;
}
