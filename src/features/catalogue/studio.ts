/**
 * The bot studio service: the rules behind /api/catalogue (draft edits, test the draft, publish,
 * versions, rollback, export). Every change is authorised by the caller (admin only, in the HTTP
 * layer), runs under the studio lock and writes an audit entry here.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { recordAudit } from '../../kernel/audit.js';
import { actorLabel, type Actor } from '../../kernel/roles.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import { createConversationLock } from '../../kernel/redis/conversation-lock.js';
import type { FlowDefinition } from '../../pipeline/flows/schema.js';
import { createNlu, extractEntities, type CharlaNlu } from '../../pipeline/nlu/index.js';
import { createDraftModels } from './draft-model.js';
import {
  discardDraft,
  readDraft,
  removeByName,
  saveDraftEdit,
  upsertByName,
  type Draft,
  type DraftContent,
} from './draft.js';
import { catalogueZip } from './export.js';
import type { Catalogue } from '../../pipeline/catalogue/catalogue.js';
import type { IssueDetail } from './issues.js';
import { createStudioLock } from './lock.js';
import { catalogueReport, type CatalogueReport } from './report.js';
import { chatWithDraft, type SandboxTurn } from './sandbox.js';
import { startCatalogueSync, type CatalogueSync } from './sync.js';
import { checkDefinition, draftProblems, parseDraft, type DefinitionKind } from './validate.js';
import {
  appendVersion,
  diffVersion,
  listVersions,
  loadVersion,
  versionReport,
  type VersionedCatalogue,
} from './versions.js';

/** A definition or draft that does not validate; `details` name each field and how to fix it. */
export class StudioValidationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: IssueDetail[],
  ) {
    super(message);
    this.name = 'StudioValidationError';
  }
}

export class NotInDraftError extends Error {
  constructor(
    readonly kind: DefinitionKind,
    readonly definitionName: string,
  ) {
    super(`${kind} "${definitionName}" is not in the draft`);
    this.name = 'NotInDraftError';
  }
}

export interface DraftView extends Draft {
  /** What keeps the draft from being published (empty when it can be). */
  problems: IssueDetail[];
}

export interface DraftTestResult {
  intent: string | null;
  confidence: number;
  language: Locale;
  entities: Record<string, string[] | undefined>;
  alternatives: Array<{ intent: string; confidence: number }>;
}

export interface StudioDeps {
  redis: Redis;
  prefix: string;
  /** The running catalogue (its `version` set), kept current by the sync. */
  catalogue: Catalogue;
  nlu: CharlaNlu;
  logger: Logger;
  threshold?: number;
  defaultLocale: Locale;
}

export interface Studio {
  live(): VersionedCatalogue;
  draft(locale: Locale): Promise<DraftView>;
  putDefinition(
    kind: DefinitionKind,
    name: string,
    body: unknown,
    actor: Actor,
    locale: Locale,
  ): Promise<DraftView>;
  deleteDefinition(
    kind: DefinitionKind,
    name: string,
    actor: Actor,
    locale: Locale,
  ): Promise<DraftView>;
  /** Applies an edit of the draft's content (FAQ import, unanswered → phrase) under the lock. */
  editDraft(
    actor: Actor,
    details: Record<string, unknown>,
    edit: (c: DraftContent) => boolean,
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

/** What an audit entry keeps of a definition: its shape, not its texts. */
function auditShape(kind: DefinitionKind, def: IntentDefinition | FlowDefinition | undefined) {
  if (!def) return undefined;
  if (kind === 'intent') {
    const i = def as IntentDefinition;
    return {
      action: i.action ?? { type: 'answer' },
      phrases: { es: i.training.es.length, en: i.training.en.length },
      answers: { es: i.answers?.es.length ?? 0, en: i.answers?.en.length ?? 0 },
    };
  }
  const f = def as FlowDefinition;
  return { slots: f.slots.map((s) => s.name), completion: f.completion.action };
}

const listOf = (content: DraftContent, kind: DefinitionKind) =>
  (kind === 'intent' ? content.intents : content.flows) as Array<{ name: string }>;

export async function createStudio(deps: StudioDeps): Promise<Studio> {
  const lock = createStudioLock(deps.redis, deps.prefix);
  const sessionLock = createConversationLock(deps.redis, deps.prefix);
  const models = createDraftModels({
    threshold: deps.threshold,
    defaultLanguage: deps.defaultLocale,
  });
  const sync: CatalogueSync = await startCatalogueSync({
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
  const view = (draft: Draft, locale: Locale): DraftView => ({
    ...draft,
    problems: draftProblems(draft, locale),
  });

  async function editDraft(
    actor: Actor,
    details: Record<string, unknown>,
    edit: (c: DraftContent) => boolean,
    target: { type: string; id: string; before?: unknown; after?: () => unknown } = {
      type: 'catalogue',
      id: 'draft',
    },
  ): Promise<Draft> {
    return lock(async () => {
      const before = await readDraft(live());
      const saved = await saveDraftEdit(live(), actorLabel(actor), edit);
      if (saved.revision !== before.revision) {
        await recordAudit({
          actor,
          action: 'catalogue.draft_update',
          targetType: target.type,
          targetId: target.id,
          before: target.before as Record<string, unknown> | undefined,
          after: target.after?.() as Record<string, unknown> | undefined,
          details: { ...details, revision: saved.revision },
        });
      }
      return saved;
    });
  }

  return {
    live,

    async draft(locale) {
      return view(await readDraft(live()), locale);
    },

    async putDefinition(kind, name, body, actor, locale) {
      const checked =
        kind === 'intent'
          ? checkDefinition('intent', name, body, locale)
          : checkDefinition('flow', name, body, locale);
      if (!checked.ok) {
        const first = checked.details[0];
        throw new StudioValidationError(
          'invalid_definition',
          first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid definition',
          checked.details,
        );
      }
      const current = await readDraft(live());
      const previous = listOf(current, kind).find((d) => d.name === name) as
        IntentDefinition | FlowDefinition | undefined;
      const saved = await editDraft(
        actor,
        { operation: previous ? 'update' : 'create' },
        (c) => upsertByName(listOf(c, kind), checked.value),
        {
          type: kind,
          id: name,
          before: auditShape(kind, previous),
          after: () => auditShape(kind, checked.value),
        },
      );
      return view(saved, locale);
    },

    async deleteDefinition(kind, name, actor, locale) {
      const current = await readDraft(live());
      const previous = listOf(current, kind).find((d) => d.name === name) as
        IntentDefinition | FlowDefinition | undefined;
      if (!previous) throw new NotInDraftError(kind, name);
      const saved = await editDraft(
        actor,
        { operation: 'delete' },
        (c) => removeByName(listOf(c, kind), name),
        { type: kind, id: name, before: auditShape(kind, previous) },
      );
      return view(saved, locale);
    },

    editDraft: (actor, details, edit) => editDraft(actor, details, edit),

    async testDraft(text, locale) {
      const draft = await readDraft(live());
      const nlu = models.modelFor(draft.intents);
      const result = nlu.parse(text);
      return {
        intent: result.intent,
        confidence: result.confidence,
        language: result.language,
        entities: { ...(locale ? extractEntities(text, locale) : result.entities) },
        alternatives: nlu
          .rank(text, 4)
          .filter((r) => r.intent !== result.intent)
          .slice(0, 3),
      };
    },

    async chat(input, actor) {
      const draft = await readDraft(live());
      return chatWithDraft(
        {
          catalogue: { intents: draft.intents, flows: draft.flows },
          nlu: models.modelFor(draft.intents),
          logger: deps.logger,
          defaultLocale: deps.defaultLocale,
          lock: sessionLock,
        },
        { ...input, by: actorLabel(actor) },
      );
    },

    async publish(actor, locale) {
      const published = await lock(async () => {
        const draft = await readDraft(live());
        const problems = draftProblems(draft, locale);
        if (problems.length > 0) {
          throw new StudioValidationError(
            'invalid_draft',
            `${problems[0]!.path}: ${problems[0]!.message}`,
            problems,
          );
        }
        const parsed = parseDraft(draft);
        const report = catalogueReport(parsed.intents, {
          threshold: deps.threshold,
          defaultLanguage: deps.defaultLocale,
        });
        // The per-catalogue option search runs here, once; every instance then trains with the
        // chosen options (one training each, well inside the 5 s switch).
        const chooser = createNlu({
          threshold: deps.threshold,
          defaultLanguage: deps.defaultLocale,
        });
        chooser.train(parsed.intents);
        const version = await appendVersion({
          ...parsed,
          classifier: chooser.trainedWith(),
          publishedBy: actorLabel(actor),
          publishedByName: actor.name,
          report,
        });
        await discardDraft();
        await recordAudit({
          actor,
          action: 'catalogue.publish',
          targetType: 'catalogue',
          targetId: String(version),
          details: {
            baseVersion: draft.baseVersion,
            revision: draft.revision,
            intents: parsed.intents.length,
            flows: parsed.flows.length,
            accuracy: report.accuracy,
          },
        });
        return { version, report };
      });
      await sync.announce(published.version);
      return published;
    },

    async rollback(version, actor) {
      const created = await lock(async () => {
        const old = await loadVersion(version);
        const report = await versionReport(version);
        const next = await appendVersion({
          intents: old.intents,
          flows: old.flows,
          publishedBy: actorLabel(actor),
          publishedByName: actor.name,
          report,
          rolledBackFrom: version,
          classifier: old.classifier,
        });
        await recordAudit({
          actor,
          action: 'catalogue.rollback',
          targetType: 'catalogue',
          targetId: String(next),
          before: { version: live().version },
          after: { version: next },
          details: { copyOf: version },
        });
        return next;
      });
      await sync.announce(created);
      return { version: created };
    },

    versions: listVersions,
    diff: diffVersion,
    exportZip: () => catalogueZip(live()),
    close: () => sync.close(),
  };
}
