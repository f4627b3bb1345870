/**
 * The bot studio service: the rules behind /api/catalogue (draft edits, test the draft, publish,
 * versions, rollback, export). Every change is authorised by the caller (admin only, in the HTTP
 * layer), runs under the studio lock and writes an audit entry. This module assembles the parts:
 * draft-edits.ts (edit the draft), draft-trials.ts (try it), publish.ts (publish, roll back).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Actor } from '../../kernel/roles.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import { createConversationLock } from '../../kernel/redis/conversation-lock.js';
import type { CharlaNlu } from '../../pipeline/nlu/index.js';
import type { Catalogue } from '../../pipeline/catalogue/catalogue.js';
import { createDraftEditor, type DraftEditor } from './draft-edits.js';
import { createDraftTrials } from './draft-trials.js';
import type { Draft, DraftContent } from './draft.js';
import { catalogueZip } from './export.js';
import { createStudioLock } from './lock.js';
import { publishDraft, rollbackToVersion } from './publish.js';
import type { CatalogueReport, DraftTestResult } from './schemas.js';
import type { SandboxTurn } from './sandbox.js';
import { startCatalogueSync } from './sync.js';
import { diffVersion, listVersions, type VersionedCatalogue } from './versions.js';

export { NotInDraftError, StudioValidationError } from './studio-errors.js';
export type { DraftView } from './draft-edits.js';

export interface StudioDeps {
  redis: Redis;
  prefix: string;
  /** The running catalogue (its `version` set), kept current by the sync. */
  catalogue: Catalogue;
  nlu: CharlaNlu;
  logger: Logger;
  threshold?: number;
  defaultLocale: Locale;
  /** The NLU model cache's directory (NLU_CACHE_DIR): draft models and publish reports. */
  cacheDir?: string;
}

/** The studio: the draft's edits (./draft-edits.ts), trials, publishing and versions. */
export interface Studio extends Pick<DraftEditor, 'draft' | 'putDefinition' | 'deleteDefinition'> {
  live(): VersionedCatalogue;
  /** Applies an edit of the draft's content (FAQ import, unanswered → phrase) under the lock. */
  editDraft(
    actor: Actor,
    details: Record<string, unknown>,
    edit: (c: DraftContent) => boolean,
    /** The language of a `limit_exceeded` refusal (limits.ts). */
    locale?: Locale,
  ): Promise<Draft>;
  /** `locale`: the language dates and times are read in (default: the detected one). */
  testDraft(text: string, locale?: Locale): Promise<DraftTestResult>;
  chat(
    input: { sessionId?: string; text: string; locale?: Locale },
    actor: Actor,
  ): Promise<SandboxTurn>;
  publish(actor: Actor, locale: Locale): Promise<{ version: number; report: CatalogueReport }>;
  rollback(version: number, actor: Actor): Promise<{ version: number }>;
  versions: typeof listVersions;
  diff: typeof diffVersion;
  exportZip(): Uint8Array;
  close(): Promise<void>;
}

export async function createStudio(deps: StudioDeps): Promise<Studio> {
  const lock = createStudioLock(deps.redis, deps.prefix);
  const sync = await startCatalogueSync({
    redis: deps.redis,
    prefix: deps.prefix,
    catalogue: deps.catalogue,
    nlu: deps.nlu,
    logger: deps.logger,
  });
  const live = (): VersionedCatalogue => ({
    version: deps.catalogue.version ?? 1,
    intents: deps.catalogue.intents,
    flows: deps.catalogue.flows,
  });
  const editor = createDraftEditor(lock, live);
  const trials = createDraftTrials({
    live,
    sessionLock: createConversationLock(deps.redis, deps.prefix),
    logger: deps.logger,
    threshold: deps.threshold,
    defaultLocale: deps.defaultLocale,
    cacheDir: deps.cacheDir,
  });
  const publishing = {
    lock,
    live,
    sync,
    threshold: deps.threshold,
    defaultLocale: deps.defaultLocale,
    cacheDir: deps.cacheDir,
  };

  return {
    live,
    draft: editor.draft,
    putDefinition: editor.putDefinition,
    deleteDefinition: editor.deleteDefinition,
    // The audit target stays the whole draft for these edits.
    editDraft: (actor, details, edit, locale) =>
      editor.editDraft(actor, details, edit, undefined, locale),
    testDraft: trials.testDraft,
    chat: trials.chat,
    publish: (actor, locale) => publishDraft(publishing, actor, locale),
    rollback: (version, actor) => rollbackToVersion(publishing, version, actor),
    versions: listVersions,
    diff: diffVersion,
    exportZip: () => catalogueZip(live()),
    close: () => sync.close(),
  };
}
