import type { BodyOf, EndpointKey, ParamNames, ParamsOf, ResponseOf } from './endpoints';

/**
 * The console talks to the same JSON API as integrators do. Requests carry the session cookie
 * (same origin); state-changing ones also carry the CSRF token the server handed out at sign-in.
 * Every non-2xx answer becomes an `ApiError` with the server's `{error: {code, message}}`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Array<{ path: string; message: string }>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | undefined;
const unauthorizedListeners = new Set<() => void>();

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called whenever the server answers 401: the session ended (expired, signed out, disabled). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RequestOptions {
  method?: Method;
  body?: unknown;
  /** A body sent as is (e.g. a CSV upload) instead of JSON `body`. */
  text?: { content: string; contentType: string };
  query?: Query;
  /** Don't broadcast a 401 (the sign-in and "who am I" calls expect it). */
  quiet401?: boolean;
}

async function request(path: string, options: RequestOptions = {}): Promise<unknown> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.text) headers['content-type'] = options.text.contentType;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.text
        ? options.text.content
        : options.body === undefined
          ? undefined
          : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
  if (res.status === 204) return undefined;
  const text = await res.text();
  let payload: unknown;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    payload = undefined;
  }
  if (!res.ok) {
    const err = (payload as { error?: { code?: string; message?: string; details?: [] } })?.error;
    if (res.status === 401 && !options.quiet401) unauthorizedListeners.forEach((fn) => fn());
    throw new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? res.statusText,
      err?.details,
    );
  }
  return payload;
}

/** What a call sends besides the route: its `:params`, query, JSON body or raw text. */
export type CallOptions<K extends EndpointKey> = Omit<RequestOptions, 'method' | 'body'> &
  ([ParamNames<K>] extends [never] ? { params?: undefined } : { params: ParamsOf<K> }) &
  ([BodyOf<K>] extends [never] ? { body?: undefined } : { body: BodyOf<K> });

/** Fills `:name` parts of a route's path from `params`, encoded. */
function pathOf(pattern: string, params: Record<string, string | number> = {}): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${pattern}`);
    return encodeURIComponent(String(value));
  });
}

/**
 * Calls one route of the API, named as the server declares it (`'GET /api/cases/:id'`): the
 * answer is typed by that route's response schema (src/features/<x>/schemas.ts), so the console
 * cannot read a shape the server does not send. The server validates every answer against the
 * same schema before sending it.
 */
export async function call<K extends EndpointKey>(
  endpoint: K,
  ...[options]: [CallOptions<K>] extends [{ params?: undefined; body?: undefined }]
    ? [options?: CallOptions<K>]
    : [options: CallOptions<K>]
): Promise<ResponseOf<K>> {
  const [method, pattern] = endpoint.split(' ') as [Method, string];
  const { params, ...rest } = (options ?? {}) as RequestOptions & {
    params?: Record<string, string | number>;
  };
  return (await request(pathOf(pattern, params), { ...rest, method })) as ResponseOf<K>;
}

export const isApiError = (err: unknown, status?: number): err is ApiError =>
  err instanceof ApiError && (status === undefined || err.status === status);

/** What went wrong, for a toast: the server's field-by-field reasons when it gave them. */
export function errorText(err: unknown): string {
  if (isApiError(err) && err.details?.length) {
    return err.details.map((d) => `${d.path}: ${d.message}`).join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}
