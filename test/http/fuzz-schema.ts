/**
 * A small schema-driven fuzzer for the staff API: reads the OpenAPI document the server serves,
 * and builds for each route bodies and queries whose every free-text field carries a hostile
 * string (formats kept valid around it, so the value gets past validation to storage).
 */

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  minItems?: number;
};

interface Operation {
  parameters?: Array<{ in: string; name: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzRoute {
  method: string;
  path: string;
  op: Operation;
  /** The path with its `{params}` filled: ids remembered from earlier answers, else a dummy. */
  fill(ids: Map<string, string>): string;
  /** Keeps the id a successful create answered with, for later routes of that collection. */
  remember(ids: Map<string, string>, status: number, text: string): void;
}

const DUMMY_ID = '000000000000000000000000';
const SKIP = [/^\/api\/webchat\//, /^\/api\/(openapi|docs)/, /\/publish$/, /\/rollback$/];
const ORDER = ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'];

const collectionOf = (path: string) => path.split('/')[2] ?? '';

function findId(value: unknown, depth = 0): string | undefined {
  if (!value || typeof value !== 'object' || depth > 2) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.id === 'string') return record.id;
  for (const v of Object.values(record)) {
    const found = findId(v, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export function routesOf(doc: OpenApiDoc): FuzzRoute[] {
  const routes: FuzzRoute[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (SKIP.some((re) => re.test(path))) continue;
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []).filter((p) => p.in === 'path');
      routes.push({
        method: method.toUpperCase(),
        path,
        op,
        fill: (ids) =>
          path.replace(/\{(\w+)\}/g, (_, name: string) => {
            const schema = params.find((p) => p.name === name)?.schema;
            if (schema?.type === 'integer' || schema?.type === 'number') return '1';
            return encodeURIComponent(ids.get(collectionOf(path)) ?? DUMMY_ID);
          }),
        remember: (ids, status, text) => {
          if (status >= 300 || params.length > 0 || method !== 'post') return;
          try {
            const id = findId(JSON.parse(text));
            if (id && !ids.has(collectionOf(path))) ids.set(collectionOf(path), id);
          } catch {
            // not JSON
          }
        },
      });
    }
  }
  return routes.sort((a, b) => ORDER.indexOf(a.method) - ORDER.indexOf(b.method));
}

function resolve(doc: OpenApiDoc, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; s.$ref && i < 10; i++) {
    s = doc.components?.schemas?.[s.$ref.replace('#/components/schemas/', '')] ?? {};
  }
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) {
    const pick = alternatives.find((a) => a.type !== 'null') ?? alternatives[0] ?? {};
    return resolve(doc, { ...pick });
  }
  if (s.allOf?.[0]) return resolve(doc, s.allOf[0]);
  return s;
}

function stringFor(s: Schema, h: string): { value: string; text: boolean } {
  if (s.enum) return { value: String(s.enum[0]), text: false };
  if (s.const !== undefined) return { value: String(s.const), text: false };
  switch (s.format) {
    case 'email':
      return { value: `fu${h}zz@example.com`, text: true };
    case 'uri':
    case 'url':
      return { value: `https://example.com/p${h}`, text: true };
    case 'date-time':
      return { value: new Date().toISOString(), text: false };
    case 'date':
      return { value: '2026-01-01', text: false };
  }
  if (s.pattern) return { value: /0-9a-f/i.test(s.pattern) ? DUMMY_ID : 'x', text: false };
  const value = `Fuzz ${h}`.padEnd(s.minLength ?? 0, 'x');
  return { value: s.maxLength !== undefined ? value.slice(0, s.maxLength) : value, text: true };
}

/** A value for `schema` with `h` in every free-text string; `counter.n` counts those fields. */
function valueFor(
  doc: OpenApiDoc,
  schema: Schema,
  h: string,
  counter: { n: number },
  depth = 0,
): unknown {
  const s = resolve(doc, schema);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (depth > 6) return null;
  switch (type) {
    case 'string': {
      const { value, text } = stringFor(s, h);
      if (text) counter.n++;
      return value;
    }
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () =>
        valueFor(doc, s.items ?? {}, h, counter, depth + 1),
      );
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set((s.required as string[] | undefined) ?? []);
      for (const [key, prop] of Object.entries(s.properties ?? {})) {
        // An optional reference (an owner's id) or number (a won lead's amount, which needs the
        // status won) carries no text and would only make the request 404 or 400.
        const p = resolve(doc, prop);
        const numeric = ['integer', 'number'].includes(String(p.type));
        if (!required.has(key) && (p.pattern || numeric)) continue;
        out[key] = valueFor(doc, prop, h, counter, depth + 1);
      }
      if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        out[`k${h}`] = valueFor(doc, s.additionalProperties, h, counter, depth + 1);
      }
      return out;
    }
    default:
      return s.enum?.[0] ?? s.const ?? null;
  }
}

/** One JSON body per hostile string, for a route that takes a JSON body with text in it. */
export function fuzzBodies(
  doc: OpenApiDoc,
  route: FuzzRoute,
  hostile: string[],
): Array<{ body: unknown; fields: number }> {
  const schema = route.op.requestBody?.content?.['application/json']?.schema;
  if (!schema) return [];
  return hostile
    .map((h) => {
      const counter = { n: 0 };
      return { body: valueFor(doc, schema, h, counter), fields: counter.n };
    })
    .filter((b) => b.fields > 0);
}

/** One query string per hostile string, with it in every string query parameter. */
export function fuzzQueries(route: FuzzRoute, hostile: string[]): string[] {
  const names = (route.op.parameters ?? [])
    .filter(
      (p) => p.in === 'query' && (p.schema?.type === 'string' || p.schema?.type === undefined),
    )
    .filter((p) => !p.schema?.enum && !p.schema?.format)
    .map((p) => p.name);
  if (names.length === 0) return [];
  return hostile.map((h) =>
    new URLSearchParams(names.map((n) => [n, `fuzz${h}`] as [string, string])).toString(),
  );
}
