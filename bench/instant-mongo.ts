/**
 * A MongoDB wire-protocol server that answers instantly from memory, so bench:pipeline can
 * measure the Node side apart from the database. Benchmark only: never used by tests or the
 * product. It speaks OP_MSG (and OP_QUERY for a legacy handshake) and implements what Charla's
 * hot path sends: hello, buildInfo, ping, insert, find/getMore, update, delete, findAndModify,
 * count, aggregate ($match/$sort/$skip/$limit/$group with $sum/$count/$project), distinct,
 * createIndexes (unique enforced), listIndexes, listCollections, drop. Anything else fails loudly.
 */
import net from 'node:net';
import mongoose from 'mongoose';

const { BSON } = mongoose.mongo;
const { ObjectId } = BSON;
type Doc = Record<string, unknown>;

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

interface IndexSpec {
  name: string;
  key: Doc;
  unique?: boolean;
}

const valueKeys = (v: unknown): string[] =>
  Array.isArray(v)
    ? [JSON.stringify(v.map(comparable)), ...v.map((x) => JSON.stringify(comparable(x) ?? null))]
    : [JSON.stringify(comparable(v) ?? null)];

/** Documents by _id plus hash indexes (built on first use) so lookups stay O(1) as data grows. */
class Collection {
  docs = new Map<string, Doc>();
  indexes: IndexSpec[] = [{ name: '_id_', key: { _id: 1 } }];
  /** field -> value key -> ids */
  byField = new Map<string, Map<string, Set<string>>>();

  fieldIndex(field: string): Map<string, Set<string>> {
    let index = this.byField.get(field);
    if (!index) {
      index = new Map();
      this.byField.set(field, index);
      for (const [id, doc] of this.docs) this.indexDoc(index, field, id, doc);
    }
    return index;
  }

  private indexDoc(index: Map<string, Set<string>>, field: string, id: string, doc: Doc) {
    for (const k of valueKeys(getPath(doc, field))) {
      let ids = index.get(k);
      if (!ids) index.set(k, (ids = new Set()));
      ids.add(id);
    }
  }

  put(id: string, doc: Doc): void {
    this.remove(id);
    this.docs.set(id, doc);
    for (const [field, index] of this.byField) this.indexDoc(index, field, id, doc);
  }

  remove(id: string): void {
    const old = this.docs.get(id);
    if (!old) return;
    for (const [field, index] of this.byField) {
      for (const k of valueKeys(getPath(old, field))) index.get(k)?.delete(id);
    }
    this.docs.delete(id);
  }
}

/** Deep copy of plain objects and arrays; BSON values (ObjectId, Date, Long...) are shared. */
function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as T;
  }
  return v;
}

const idKey = (v: unknown) =>
  v instanceof ObjectId ? `o${v.toHexString()}` : `j${JSON.stringify(v)}`;

function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Doc)[part];
  }
  return cur;
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (const part of parts.slice(0, -1)) {
    if (typeof cur[part] !== 'object' || cur[part] === null) cur[part] = {};
    cur = cur[part] as Doc;
  }
  cur[parts.at(-1)!] = value;
}

function unsetPath(doc: Doc, path: string): void {
  const parts = path.split('.');
  const parent = parts.length > 1 ? getPath(doc, parts.slice(0, -1).join('.')) : doc;
  if (parent && typeof parent === 'object') delete (parent as Doc)[parts.at(-1)!];
}

function comparable(v: unknown): unknown {
  if (v instanceof Date) return v.getTime();
  if (v instanceof ObjectId) return v.toHexString();
  return v;
}

function equal(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && !Array.isArray(b)) return a.some((x) => equal(x, b));
  const ca = comparable(a);
  const cb = comparable(b);
  if (typeof ca === 'object' || typeof cb === 'object') {
    return JSON.stringify(ca ?? null) === JSON.stringify(cb ?? null);
  }
  return ca === cb || (ca === undefined && cb === null);
}

function compare(a: unknown, b: unknown): number {
  const ca = comparable(a) as number | string;
  const cb = comparable(b) as number | string;
  if (ca === cb) return 0;
  if (ca === undefined || ca === null) return -1;
  if (cb === undefined || cb === null) return 1;
  return ca < cb ? -1 : 1;
}

function matchOperator(value: unknown, op: string, arg: unknown): boolean {
  switch (op) {
    case '$eq':
      return equal(value, arg);
    case '$ne':
      return !equal(value, arg);
    case '$in':
      return (arg as unknown[]).some((x) => equal(value, x));
    case '$nin':
      return !(arg as unknown[]).some((x) => equal(value, x));
    case '$exists':
      return (value !== undefined) === Boolean(arg);
    case '$gt':
      return value !== undefined && compare(value, arg) > 0;
    case '$gte':
      return value !== undefined && compare(value, arg) >= 0;
    case '$lt':
      return value !== undefined && compare(value, arg) < 0;
    case '$lte':
      return value !== undefined && compare(value, arg) <= 0;
    case '$size':
      return Array.isArray(value) && value.length === arg;
    case '$elemMatch':
      return Array.isArray(value) && value.some((x) => matches(x as Doc, arg as Doc));
    case '$regex':
      return typeof value === 'string' && new RegExp(arg as string).test(value);
    case '$options':
      return true;
    default:
      throw new Error(`instant-mongo: unsupported query operator ${op}`);
  }
}

export function matches(doc: Doc, filter: Doc = {}): boolean {
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and') {
      if (!(cond as Doc[]).every((f) => matches(doc, f))) return false;
    } else if (key === '$or') {
      if (!(cond as Doc[]).some((f) => matches(doc, f))) return false;
    } else if (key === '$nor') {
      if ((cond as Doc[]).some((f) => matches(doc, f))) return false;
    } else {
      const value = getPath(doc, key);
      const isOps =
        cond !== null &&
        typeof cond === 'object' &&
        !(cond instanceof ObjectId) &&
        !(cond instanceof Date) &&
        !Array.isArray(cond) &&
        Object.keys(cond).some((k) => k.startsWith('$'));
      if (isOps) {
        for (const [op, arg] of Object.entries(cond as Doc)) {
          if (!matchOperator(value, op, arg)) return false;
        }
      } else if (!equal(value, cond)) return false;
    }
  }
  return true;
}

function applyUpdate(doc: Doc, update: Doc, inserting: boolean): Doc {
  if (!Object.keys(update).some((k) => k.startsWith('$'))) return { _id: doc._id, ...update };
  for (const [op, fields] of Object.entries(update)) {
    for (const [path, arg] of Object.entries(fields as Doc)) {
      const current = getPath(doc, path);
      switch (op) {
        case '$set':
          setPath(doc, path, arg);
          break;
        case '$setOnInsert':
          if (inserting) setPath(doc, path, arg);
          break;
        case '$unset':
          unsetPath(doc, path);
          break;
        case '$inc':
          setPath(doc, path, ((current as number) ?? 0) + (arg as number));
          break;
        case '$max':
          if (current === undefined || compare(arg, current) > 0) setPath(doc, path, arg);
          break;
        case '$min':
          if (current === undefined || compare(arg, current) < 0) setPath(doc, path, arg);
          break;
        case '$push': {
          const list = Array.isArray(current) ? current : [];
          const each = (arg as Doc)?.$each;
          list.push(...(Array.isArray(each) ? each : [arg]));
          setPath(doc, path, list);
          break;
        }
        case '$addToSet': {
          const list = Array.isArray(current) ? current : [];
          const each = (arg as Doc)?.$each;
          for (const v of Array.isArray(each) ? each : [arg]) {
            if (!list.some((x) => equal(x, v))) list.push(v);
          }
          setPath(doc, path, list);
          break;
        }
        case '$pull':
          if (Array.isArray(current)) {
            setPath(
              doc,
              path,
              current.filter((x) =>
                arg && typeof arg === 'object' && !(arg instanceof ObjectId)
                  ? !matches(x as Doc, arg as Doc)
                  : !equal(x, arg),
              ),
            );
          }
          break;
        default:
          throw new Error(`instant-mongo: unsupported update operator ${op}`);
      }
    }
  }
  return doc;
}

function sortDocs(docs: Doc[], sort: Doc | undefined): Doc[] {
  if (!sort || Object.keys(sort).length === 0) return docs;
  const keys = Object.entries(sort);
  return [...docs].sort((a, b) => {
    for (const [k, dir] of keys) {
      const c = compare(getPath(a, k), getPath(b, k));
      if (c !== 0) return c * (Number(dir) < 0 ? -1 : 1);
    }
    return 0;
  });
}

class DuplicateKey extends Error {}

export class InstantMongo {
  private collections = new Map<string, Collection>();
  private server = net.createServer((socket) => this.serve(socket));
  /** Commands this server had to refuse (printed by the benchmark when not empty). */
  readonly unsupported = new Set<string>();
  readonly counts = new Map<string, number>();

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as net.AddressInfo;
    return `mongodb://127.0.0.1:${port}/`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private coll(db: string, name: string): Collection {
    const key = `${db}.${name}`;
    let c = this.collections.get(key);
    if (!c) {
      c = new Collection();
      this.collections.set(key, c);
    }
    return c;
  }

  private checkUnique(c: Collection, doc: Doc, selfId?: string): void {
    for (const idx of c.indexes) {
      if (!idx.unique) continue;
      const fields = Object.keys(idx.key);
      if (fields.every((f) => getPath(doc, f) === undefined)) continue;
      const [first, ...rest] = fields;
      const ids = c.fieldIndex(first!).get(valueKeys(getPath(doc, first!))[0]!) ?? new Set();
      for (const id of ids) {
        if (id === selfId) continue;
        const other = c.docs.get(id)!;
        if (rest.every((f) => equal(getPath(other, f), getPath(doc, f)))) {
          throw new DuplicateKey(`E11000 duplicate key error index: ${idx.name} dup key`);
        }
      }
    }
  }

  private insertDoc(c: Collection, doc: Doc): void {
    if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
    const id = idKey(doc._id);
    if (c.docs.has(id)) throw new DuplicateKey('E11000 duplicate key error index: _id_');
    this.checkUnique(c, doc);
    c.put(id, clone(doc));
  }

  private select(c: Collection, filter: Doc | undefined): Doc[] {
    const id = filter?._id;
    if (id !== undefined && (typeof id !== 'object' || id instanceof ObjectId)) {
      const d = c.docs.get(idKey(id));
      return d && matches(d, filter) ? [d] : [];
    }
    const eq = Object.entries(filter ?? {}).find(
      ([k, v]) =>
        !k.startsWith('$') &&
        (v === null || typeof v !== 'object' || v instanceof ObjectId || v instanceof Date),
    );
    if (eq) {
      const ids = c.fieldIndex(eq[0]).get(valueKeys(eq[1])[0]!) ?? new Set<string>();
      return [...ids].map((i) => c.docs.get(i)!).filter((d) => matches(d, filter));
    }
    return [...c.docs.values()].filter((d) => matches(d, filter));
  }

  private upsertDoc(c: Collection, q: Doc, u: Doc): Doc {
    const seed: Doc = {};
    for (const [k, v] of Object.entries(q)) {
      if (!k.startsWith('$') && (v === null || typeof v !== 'object' || v instanceof ObjectId)) {
        setPath(seed, k, v);
      }
    }
    const doc = applyUpdate(seed, u, true);
    if (doc._id === undefined) doc._id = new ObjectId();
    this.insertDoc(c, doc);
    return doc;
  }

  private updateDoc(c: Collection, doc: Doc, u: Doc): void {
    const next = applyUpdate(clone(doc), u, false);
    this.checkUnique(c, next, idKey(doc._id));
    c.put(idKey(doc._id), next);
  }

  /** Runs one command document against database `db`. */
  run(cmd: Doc, db: string): Doc {
    const name = Object.keys(cmd)[0]!;
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    if (process.env.INSTANT_MONGO_TRACE)
      console.error('instant-mongo', db, JSON.stringify(cmd).slice(0, 400));
    const lname = name.toLowerCase();
    const collName = String(cmd[name]);
    const ns = `${db}.${collName}`;
    const cursor = (batch: Doc[]) => ({
      cursor: { firstBatch: batch, id: BSON.Long.ZERO, ns },
      ok: 1,
    });
    try {
      switch (lname) {
        case 'hello':
        case 'ismaster':
          return {
            ismaster: true,
            isWritablePrimary: true,
            helloOk: true,
            maxBsonObjectSize: 16 * 1024 * 1024,
            maxMessageSizeBytes: 48_000_000,
            maxWriteBatchSize: 100_000,
            localTime: new Date(),
            maxWireVersion: 17,
            minWireVersion: 0,
            connectionId: 1,
            ok: 1,
          };
        case 'buildinfo':
          return { version: '7.0.0', versionArray: [7, 0, 0, 0], ok: 1 };
        case 'ping':
        case 'endsessions':
        case 'killcursors':
        case 'create':
          return { ok: 1 };
        case 'insert': {
          const c = this.coll(db, collName);
          const writeErrors: Doc[] = [];
          let n = 0;
          (cmd.documents as Doc[]).forEach((d, index) => {
            try {
              this.insertDoc(c, d);
              n += 1;
            } catch (err) {
              if (!(err instanceof DuplicateKey)) throw err;
              writeErrors.push({ index, code: 11000, errmsg: err.message });
            }
          });
          return { n, ...(writeErrors.length ? { writeErrors } : {}), ok: 1 };
        }
        case 'find': {
          const c = this.coll(db, collName);
          let docs = sortDocs(this.select(c, cmd.filter as Doc), cmd.sort as Doc);
          if (cmd.skip) docs = docs.slice(Number(cmd.skip));
          if (cmd.limit) docs = docs.slice(0, Math.abs(Number(cmd.limit)));
          return cursor(docs);
        }
        case 'getmore':
          return {
            cursor: { nextBatch: [], id: BSON.Long.ZERO, ns: `${db}.${cmd.collection}` },
            ok: 1,
          };
        case 'update':
          return this.update(db, collName, cmd.updates as Doc[]);
        case 'delete': {
          const c = this.coll(db, collName);
          let n = 0;
          for (const d of cmd.deletes as Doc[]) {
            const hit = this.select(c, d.q as Doc);
            for (const doc of Number(d.limit) === 1 ? hit.slice(0, 1) : hit) {
              c.remove(idKey(doc._id));
              n += 1;
            }
          }
          return { n, ok: 1 };
        }
        case 'findandmodify':
          return this.findAndModify(db, collName, cmd);
        case 'count':
          return { n: this.select(this.coll(db, collName), cmd.query as Doc).length, ok: 1 };
        case 'distinct': {
          const values: unknown[] = [];
          for (const d of this.select(this.coll(db, collName), cmd.query as Doc)) {
            const v = getPath(d, String(cmd.key));
            if (!values.some((x) => equal(x, v))) values.push(v);
          }
          return { values, ok: 1 };
        }
        case 'aggregate':
          return cursor(this.aggregate(this.coll(db, collName), cmd.pipeline as Doc[]));
        case 'createindexes': {
          const c = this.coll(db, collName);
          for (const idx of cmd.indexes as IndexSpec[]) {
            if (!c.indexes.some((i) => i.name === idx.name)) c.indexes.push(idx);
          }
          return { ok: 1 };
        }
        case 'listindexes':
          return cursor(this.coll(db, collName).indexes.map((i) => ({ v: 2, ...i })));
        case 'listcollections':
          return cursor(
            [...this.collections.keys()]
              .filter((k) => k.startsWith(`${db}.`))
              .map((k) => ({ name: k.slice(db.length + 1), type: 'collection', options: {} })),
          );
        case 'drop':
          this.collections.delete(ns);
          return { ok: 1 };
        case 'dropdatabase':
          for (const k of [...this.collections.keys()]) {
            if (k.startsWith(`${db}.`)) this.collections.delete(k);
          }
          return { ok: 1 };
        case 'dropindexes':
          return { ok: 1 };
        default:
          this.unsupported.add(name);
          return { ok: 0, errmsg: `instant-mongo: no such command ${name}`, code: 59 };
      }
    } catch (err) {
      if (err instanceof DuplicateKey) return { ok: 0, errmsg: err.message, code: 11000 };
      this.unsupported.add(`${name}: ${(err as Error).message}`);
      return { ok: 0, errmsg: (err as Error).message, code: 2 };
    }
  }

  private update(db: string, collName: string, updates: Doc[]): Doc {
    const c = this.coll(db, collName);
    let n = 0;
    let nModified = 0;
    const upserted: Doc[] = [];
    const writeErrors: Doc[] = [];
    updates.forEach((up, index) => {
      try {
        const hit = this.select(c, up.q as Doc);
        if (hit.length === 0 && up.upsert) {
          const doc = this.upsertDoc(c, up.q as Doc, up.u as Doc);
          upserted.push({ index, _id: doc._id });
          n += 1;
          return;
        }
        for (const doc of up.multi ? hit : hit.slice(0, 1)) {
          this.updateDoc(c, doc, up.u as Doc);
          n += 1;
          nModified += 1;
        }
      } catch (err) {
        if (!(err instanceof DuplicateKey)) throw err;
        writeErrors.push({ index, code: 11000, errmsg: err.message });
      }
    });
    return {
      n,
      nModified,
      ...(upserted.length ? { upserted } : {}),
      ...(writeErrors.length ? { writeErrors } : {}),
      ok: 1,
    };
  }

  private findAndModify(db: string, collName: string, cmd: Doc): Doc {
    const c = this.coll(db, collName);
    const [doc] = sortDocs(this.select(c, cmd.query as Doc), cmd.sort as Doc);
    if (cmd.remove) {
      if (doc) c.remove(idKey(doc._id));
      return { lastErrorObject: { n: doc ? 1 : 0 }, value: doc ?? null, ok: 1 };
    }
    if (!doc) {
      if (!cmd.upsert)
        return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
      const created = this.upsertDoc(c, (cmd.query as Doc) ?? {}, cmd.update as Doc);
      return {
        lastErrorObject: { n: 1, updatedExisting: false, upserted: created._id },
        value: cmd.new ? created : null,
        ok: 1,
      };
    }
    const before = clone(doc);
    this.updateDoc(c, doc, cmd.update as Doc);
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: cmd.new ? c.docs.get(idKey(doc._id)) : before,
      ok: 1,
    };
  }

  private aggregate(c: Collection, pipeline: Doc[]): Doc[] {
    let docs = [...c.docs.values()];
    for (const stage of pipeline) {
      const [op, arg] = Object.entries(stage)[0]!;
      if (op === '$match') docs = docs.filter((d) => matches(d, arg as Doc));
      else if (op === '$sort') docs = sortDocs(docs, arg as Doc);
      else if (op === '$skip') docs = docs.slice(Number(arg));
      else if (op === '$limit') docs = docs.slice(0, Number(arg));
      else if (op === '$count') docs = [{ [String(arg)]: docs.length }];
      else if (op === '$project') continue;
      else if (op === '$group') docs = group(docs, arg as Doc);
      else throw new Error(`unsupported stage ${op}`);
    }
    return docs;
  }

  private serve(socket: net.Socket): void {
    let buf: Buffer = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      while (buf.length >= 16) {
        const len = buf.readInt32LE(0);
        if (buf.length < len) break;
        const msg = buf.subarray(0, len);
        buf = buf.subarray(len);
        const reply = this.handle(msg);
        if (reply) socket.write(reply);
      }
    });
  }

  private handle(msg: Buffer): Buffer | undefined {
    const requestId = msg.readInt32LE(4);
    const opCode = msg.readInt32LE(12);
    if (opCode === OP_QUERY) {
      let off = 20;
      const nameEnd = msg.indexOf(0, off);
      const fullName = msg.toString('utf8', off, nameEnd);
      off = nameEnd + 1 + 8;
      const query = BSON.deserialize(msg.subarray(off, off + msg.readInt32LE(off)));
      const doc = BSON.serialize(this.run(query, fullName.split('.')[0]!));
      const header = Buffer.alloc(36);
      header.writeInt32LE(36 + doc.length, 0);
      header.writeInt32LE(requestId + 1, 4);
      header.writeInt32LE(requestId, 8);
      header.writeInt32LE(OP_REPLY, 12);
      header.writeInt32LE(0, 16);
      header.writeBigInt64LE(0n, 20);
      header.writeInt32LE(0, 28);
      header.writeInt32LE(1, 32);
      return Buffer.concat([header, doc]);
    }
    if (opCode !== OP_MSG) throw new Error(`instant-mongo: opcode ${opCode}`);
    const flags = msg.readUInt32LE(16);
    const end = flags & 1 ? msg.length - 4 : msg.length;
    let off = 20;
    let body: Doc = {};
    while (off < end) {
      const kind = msg[off]!;
      off += 1;
      if (kind === 0) {
        const size = msg.readInt32LE(off);
        body = BSON.deserialize(msg.subarray(off, off + size));
        off += size;
      } else {
        const size = msg.readInt32LE(off);
        const sectionEnd = off + size;
        const idEnd = msg.indexOf(0, off + 4);
        const id = msg.toString('utf8', off + 4, idEnd);
        const docs: Doc[] = [];
        let p = idEnd + 1;
        while (p < sectionEnd) {
          const dsize = msg.readInt32LE(p);
          docs.push(BSON.deserialize(msg.subarray(p, p + dsize)));
          p += dsize;
        }
        body[id] = docs;
        off = sectionEnd;
      }
    }
    const result = this.run(body, String(body.$db ?? 'test'));
    if (flags & 2) return undefined; // moreToCome: the client wants no answer
    const doc = BSON.serialize(result);
    const header = Buffer.alloc(21);
    header.writeInt32LE(21 + doc.length, 0);
    header.writeInt32LE(requestId + 1, 4);
    header.writeInt32LE(requestId, 8);
    header.writeInt32LE(OP_MSG, 12);
    header.writeUInt32LE(0, 16);
    header[20] = 0;
    return Buffer.concat([header, doc]);
  }
}

function group(docs: Doc[], spec: Doc): Doc[] {
  const groups = new Map<string, Doc>();
  for (const d of docs) {
    const idSpec = spec._id;
    const id =
      typeof idSpec === 'string' && idSpec.startsWith('$') ? getPath(d, idSpec.slice(1)) : idSpec;
    const key = JSON.stringify(comparable(id) ?? null);
    const g = groups.get(key) ?? { _id: id ?? null };
    for (const [field, acc] of Object.entries(spec)) {
      if (field === '_id') continue;
      const sum = (acc as Doc).$sum;
      if (sum === undefined) throw new Error(`unsupported accumulator in ${field}`);
      const add =
        typeof sum === 'string' && sum.startsWith('$')
          ? Number(getPath(d, sum.slice(1)) ?? 0)
          : Number(sum);
      g[field] = ((g[field] as number) ?? 0) + add;
    }
    groups.set(key, g);
  }
  return [...groups.values()];
}
