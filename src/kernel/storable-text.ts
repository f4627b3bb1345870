/**
 * Text the database can always store. PostgreSQL (under FerretDB) refuses U+0000 in jsonb
 * (SQLSTATE 22P05) and BSON keys are C strings, so a NUL in a customer's message or a staff note
 * used to end in a 500 (and a platform redelivering the same payload forever). Lone UTF-16
 * surrogates (a JSON `"\ud800"`) are not text either: PostgreSQL refuses them as jsonb escapes and
 * UTF-8 cannot encode them.
 *
 * The one rule, applied at every way in (the HTTP body, query and path parsers in
 * src/http/server.ts, ingest for every channel, the Slack receiver's inner payloads): U+0000 is
 * removed and a lone surrogate becomes U+FFFD (the replacement character), in values and in keys.
 * Everything else, other control characters included, is kept as sent.
 */

// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const ANY_UNSTORABLE = /\u0000|[\uD800-\uDFFF]/;

/** `text` without U+0000, lone surrogates replaced by U+FFFD; the same string when already fine. */
export function storableText(text: string): string {
  if (!ANY_UNSTORABLE.test(text)) return text;
  return text.replace(UNSTORABLE, (c) => (c === '\u0000' ? '' : '\uFFFD'));
}

const MAX_DEPTH = 64;

/**
 * `value` with every string (and every object key) made storable, deeply: plain objects and arrays
 * are copied only where something changed; other values (numbers, dates, buffers) pass as they are.
 */
export function storable<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item: unknown, i) => {
      const clean = storable(item, depth + 1);
      if (clean !== item) (out ??= value.slice())[i] = clean;
    });
    return (out ?? value) as T;
  }
  // Plain objects, null-prototype ones and those of an empty-prototype class (fastify's parsed
  // query strings); dates, ids and buffers are not text.
  const proto = Object.getPrototypeOf(value) as object | null;
  const plain =
    proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
  if (!plain) return value;
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const cleanKey = storableText(key);
    const clean = storable(item, depth + 1);
    if (cleanKey !== key || clean !== item) {
      out ??= { ...(value as Record<string, unknown>) };
      if (cleanKey !== key) delete out[key];
      // Defined, not assigned: a `__proto__` key stays a plain key.
      Object.defineProperty(out, cleanKey, {
        value: clean,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return (out ?? value) as T;
}
