/**
 * A cached "is the database up" flag with `down`/`up` events, so requests never ping per call:
 * a timer pings once a second, and the embedded server's supervisor reports a death at once.
 * Consumers: /healthz and /readyz, the 503 guard on webhooks, and the queue workers (paused while
 * the database is down, resumed on `up`).
 */
import { EventEmitter } from 'node:events';
import mongoose from 'mongoose';
/** What the embedded server's supervisor offers (src/app/infra/embedded-mongo.ts). */
interface EmbeddedHealth {
  health: import('node:events').EventEmitter;
  isUp(): boolean;
}

export interface DbHealthEvents {
  down: [reason: string];
  up: [];
}

export interface DbHealth extends EventEmitter<DbHealthEvents> {
  isUp(): boolean;
  stop(): void;
}

export interface DbHealthOptions {
  /**
   * The database to ping. The ping runs on its own connection: on FerretDB Charla's pool has one
   * connection, and a ping queued behind a busy minute's work would report a live database dead.
   */
  uri: string;
  embedded?: EmbeddedHealth;
  intervalMs?: number;
  timeoutMs?: number;
  /** Consecutive failed pings before the database counts as down (a death reported by the
   * embedded server's supervisor counts at once). */
  failuresBeforeDown?: number;
}

function withTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    p.then(
      () => resolve(true),
      () => resolve(false),
    ).finally(() => clearTimeout(timer));
  });
}

export function createDbHealth(opts: DbHealthOptions): DbHealth {
  const emitter = new EventEmitter<DbHealthEvents>();
  const intervalMs = opts.intervalMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 1500;
  const failuresBeforeDown = opts.failuresBeforeDown ?? 2;
  const client = new mongoose.mongo.MongoClient(opts.uri, {
    maxPoolSize: 1,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    monitorCommands: false,
  });
  const ping = () => client.db('admin').command({ ping: 1 });
  let failures = 0;
  let up = true;
  let probing = false;
  let stopped = false;

  const markDown = (reason: string) => {
    if (!up) return;
    up = false;
    emitter.emit('down', reason);
  };
  const probe = async () => {
    if (probing || stopped) return;
    probing = true;
    try {
      const answered = await withTimeout(ping(), timeoutMs);
      const embeddedUp = opts.embedded?.isUp() ?? true;
      failures = answered ? 0 : failures + 1;
      if (!embeddedUp) markDown('embedded server restarting');
      else if (failures >= failuresBeforeDown) markDown('no answer to ping');
      else if (answered && !up && !stopped) {
        up = true;
        emitter.emit('up');
      }
    } finally {
      probing = false;
    }
  };
  const timer = setInterval(() => void probe(), intervalMs);
  timer.unref();
  const onEmbeddedDown = (what: string) => markDown(`${what} died`);
  const onEmbeddedUp = () => void probe();
  opts.embedded?.health.on('down', onEmbeddedDown);
  opts.embedded?.health.on('up', onEmbeddedUp);

  return Object.assign(emitter, {
    isUp: () => up,
    stop() {
      stopped = true;
      clearInterval(timer);
      void client.close().catch(() => undefined);
      opts.embedded?.health.off('down', onEmbeddedDown);
      opts.embedded?.health.off('up', onEmbeddedUp);
    },
  });
}
