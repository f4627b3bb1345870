/**
 * What the OpenAPI document says about each route that the route itself need not repeat:
 * - `security`: a route guarded by `requireRole` (see guard.ts) takes the staff session cookie or
 *   the admin bearer token, and its description names the roles that may call it; every other
 *   route is public (`security: []`: web chat, channel webhooks, sign-in, health).
 * - Routes that are not API (the demo page, static files, CORS preflight) stay out of it.
 * Registered before @fastify/swagger so its own onRoute hook sees the completed schema.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { guardRoles } from './guard.js';
import { errorBody } from './schemas.js';

const STAFF_SECURITY: Array<Record<string, string[]>> = [{ session: [] }, { adminToken: [] }];

type Hook = RouteOptions['onRequest'];

/** The roles of the first `requireRole` guard among a route's hooks, if it has one. */
function rolesOf(...hooks: Hook[]): readonly string[] | undefined {
  for (const hook of hooks.flat()) {
    const roles = hook ? guardRoles(hook) : undefined;
    if (roles) return roles;
  }
  return undefined;
}

function isApiRoute(route: RouteOptions): boolean {
  const methods = [route.method].flat();
  if (methods.every((m) => m === 'OPTIONS' || m === 'HEAD')) return false;
  return /^\/(api|healthz|readyz|metrics)(\/|$)/.test(route.url);
}

export function describeRoutesForOpenApi(server: FastifyInstance): void {
  server.addHook('onRoute', (route) => {
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    if (!isApiRoute(route)) {
      route.schema = { ...schema, hide: true };
      return;
    }
    const roles = rolesOf(route.onRequest, route.preValidation, route.preHandler);
    if (!roles) {
      route.schema = { security: [], ...schema };
      return;
    }
    const who = `Roles: ${['admin', ...roles].join(', ')}.`;
    const description = schema.description ? `${String(schema.description)}\n\n${who}` : who;
    route.schema = { security: STAFF_SECURITY, ...schema, description };
  });
}

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/**
 * A nullable reference (`z.X.nullable()` where X is a named component) comes out as
 * `{nullable: true, allOf: [{$ref}]}`, which OpenAPI 3.0 reads only with a `type` beside
 * `nullable`: give it the referenced component's type.
 */
export function typeNullableReferences<T>(document: T): T {
  const schemas = (
    isObject(document) && isObject(document.components) ? document.components.schemas : undefined
  ) as Json | undefined;
  const typeOf = (ref: unknown) => {
    const name = typeof ref === 'string' ? ref.split('/').pop() : undefined;
    const target = name && schemas ? schemas[name] : undefined;
    return isObject(target) ? target.type : undefined;
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    if (node.nullable === true && node.type === undefined && Array.isArray(node.allOf)) {
      const [only] = node.allOf as unknown[];
      const type = node.allOf.length === 1 && isObject(only) ? typeOf(only.$ref) : undefined;
      if (type !== undefined) node.type = type;
    }
    Object.values(node).forEach(visit);
  };
  visit(document);
  return document;
}

/** `GET /api/cases/:id/notes` → `getApiCasesByIdNotes`: stable, unique per method and path. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/).filter(Boolean));
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return `${method.toLowerCase()}${pascal}`;
}

interface TransformInput {
  schema: unknown;
  url: string;
  route: { method: string | string[] };
}

/**
 * Before the zod schemas become JSON: every operation gets an operationId, and a staff route the
 * 401 and 403 it answers when nobody is signed in or the role may not (documentation only: the
 * route's own response serialisation is untouched).
 */
export function completeOperation<T extends TransformInput>(input: T): T {
  const { url, route } = input;
  const schema = input.schema as Record<string, unknown> | undefined;
  if (!schema || schema.hide) return input;
  const method = [route.method].flat()[0]!;
  const completed: Record<string, unknown> = { operationId: operationIdOf(method, url), ...schema };
  const guarded = Array.isArray(schema.security) && schema.security.length > 0;
  if (guarded) {
    const response = (schema.response ?? {}) as Record<string, unknown>;
    completed.response = { 401: errorBody, 403: errorBody, ...response };
  }
  return { ...input, schema: completed };
}
