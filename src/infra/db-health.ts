/**
 * A cached "is the database up" flag with `down`/`up` events, so requests never ping per call:
 * a timer pings once a second, and the embedded server's supervisor reports a death at once.
 * Consumers: /healthz and /readyz, the 503 guard on webhooks, and the queue workers (paused while
 * the database is down, resumed on `up`).
 */
import { EventEmitter } from 'node:events';
import type { EmbeddedMongo } from './embedded-mongo.js';

export interface DbHealthEvents {
  down: [reason: string];
  up: [];
}

export interface DbHealth extends EventEmitter<DbHealthEvents> {
  isUp(): boolean;
  stop(): void;
}

export interface DbHealthOptions {
  /** A cheap round trip to the database (e.g. the `ping` command). */
  ping(): Promise<unknown>;
  embedded?: Pick<EmbeddedMongo, 'health' | 'isUp'>;
  intervalMs?: number;
  timeoutMs?: number;
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
  const timeoutMs = opts.timeoutMs ?? 1000;
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
      const answered = await withTimeout(opts.ping(), timeoutMs);
      const embeddedUp = opts.embedded?.isUp() ?? true;
      if (!answered || !embeddedUp) {
        markDown(answered ? 'embedded server restarting' : 'no answer to ping');
      } else if (!up && !stopped) {
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
      opts.embedded?.health.off('down', onEmbeddedDown);
      opts.embedded?.health.off('up', onEmbeddedUp);
    },
  });
}
