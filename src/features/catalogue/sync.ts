/**
 * Every running instance on the same catalogue: a publish or rollback is announced on Redis
 * pub/sub (`<QUEUE_PREFIX>:catalogue`), and each instance — the announcing one included — loads
 * that version from MongoDB, retrains its NLU and swaps both in place, with no restart. The
 * engine reads the catalogue object on every message and conversations keep their flow state
 * (it lives on the Conversation), so in-flight chats carry on with the new definitions.
 *
 * Versions only grow (a rollback is a new version), so an instance applies a version only when it
 * is newer than the one it runs: late or repeated announcements are harmless.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CharlaNlu } from '../../pipeline/nlu/index.js';
import type { Catalogue } from '../../pipeline/catalogue/catalogue.js';
import { latestVersionNumber, loadVersion } from './versions.js';
import { duplicateRedis } from '../../kernel/redis/redis.js';

export interface CatalogueSync {
  /** Applies `version` here (when newer), then tells the other instances. */
  announce(version: number): Promise<void>;
  /** Loads and applies `version` here if it is newer than the running one. */
  apply(version: number): Promise<void>;
  close(): Promise<void>;
}

export interface CatalogueSyncDeps {
  redis: Redis;
  prefix: string;
  /** The running catalogue, updated in place. */
  catalogue: Catalogue;
  /** The running NLU, retrained in place. */
  nlu: Pick<CharlaNlu, 'prepare' | 'use'>;
  logger: Logger;
}

export const catalogueChannel = (prefix: string) => `${prefix}:catalogue`;

export async function startCatalogueSync(deps: CatalogueSyncDeps): Promise<CatalogueSync> {
  const channel = catalogueChannel(deps.prefix);
  const subscriber = duplicateRedis(deps.redis, deps.logger, 'catalogue-sync');
  // Applications run one after another: a burst of announcements trains once per version, in order.
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  let training = false;

  async function applyNow(version: number) {
    if ((deps.catalogue.version ?? 0) >= version) return;
    const next = await loadVersion(version);
    if ((deps.catalogue.version ?? 0) >= version) return;
    const started = Date.now();
    // Trained off the event loop (or loaded from the model cache); the swap below has no await
    // in between, so no message is ever handled with the new model and the old definitions (or
    // the other way round).
    training = true;
    const model = await deps.nlu
      .prepare(next.intents, next.classifier ? { classifier: next.classifier } : {})
      .finally(() => (training = false));
    if (closed || (deps.catalogue.version ?? 0) >= version) return;
    deps.nlu.use(model);
    deps.catalogue.intents = next.intents;
    deps.catalogue.flows = next.flows;
    deps.catalogue.version = next.version;
    deps.logger.info(
      { version: next.version, trainMs: Date.now() - started },
      'catalogue version applied',
    );
  }

  const apply = (version: number) => {
    const run = chain.then(() => applyNow(version));
    chain = run.catch((err: unknown) =>
      deps.logger.error({ err, version }, 'could not apply catalogue version'),
    );
    return run;
  };

  subscriber.on('message', (ch: string, raw: string) => {
    if (ch !== channel) return;
    let version = NaN;
    try {
      version = Number((JSON.parse(raw) as { version?: unknown }).version);
    } catch {
      return;
    }
    if (Number.isInteger(version) && version > 0) void apply(version).catch(() => undefined);
  });
  await subscriber.subscribe(channel);
  // A version published while this instance was starting (before it subscribed).
  const latest = await latestVersionNumber();
  if (latest !== undefined) await apply(latest);

  return {
    apply,
    async announce(version) {
      await apply(version);
      await deps.redis.publish(channel, JSON.stringify({ version }));
    },
    async close() {
      closed = true;
      subscriber.disconnect();
      // A version being trained is not waited for (its worker does not hold the process); one
      // being loaded or swapped in is.
      if (!training) await chain;
    },
  };
}
