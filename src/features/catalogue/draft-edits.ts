/**
 * Editing the studio draft: read it with its problems, put or delete one intent or flow, apply
 * any other edit (FAQ import, unanswered → phrase). Every edit runs under the studio lock and,
 * when it changed the draft, writes an audit entry that keeps a definition's shape, not its texts.
 */
import { recordAudit } from '../../kernel/audit.js';
import { actorLabel, type Actor } from '../../kernel/roles.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import type { FlowDefinition } from '../../pipeline/flows/schema.js';
import {
  readDraft,
  removeByName,
  saveDraftEdit,
  upsertByName,
  type Draft,
  type DraftContent,
} from './draft.js';
import type { IssueDetail } from './issues.js';
import { draftLimitProblems, flowLimitProblems, intentLimitProblems } from './limits.js';
import type { StudioLock } from './lock.js';
import { NotInDraftError, StudioValidationError } from './studio-errors.js';
import { checkDefinition, draftProblems, type DefinitionKind } from './validate.js';
import type { VersionedCatalogue } from './versions.js';

export interface DraftView extends Draft {
  /** What keeps the draft from being published (empty when it can be). */
  problems: IssueDetail[];
}

/** What the audit entry of an edit records about the edited definition. */
interface AuditTarget {
  type: string;
  id: string;
  before?: unknown;
  after?: () => unknown;
}

export interface DraftEditor {
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
  editDraft(
    actor: Actor,
    details: Record<string, unknown>,
    edit: (c: DraftContent) => boolean,
    target?: AuditTarget,
    /** The language of a `limit_exceeded` refusal. */
    locale?: Locale,
  ): Promise<Draft>;
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

const view = (draft: Draft, locale: Locale): DraftView => ({
  ...draft,
  problems: draftProblems(draft, locale),
});

async function findInDraft(live: VersionedCatalogue, kind: DefinitionKind, name: string) {
  const current = await readDraft(live);
  return listOf(current, kind).find((d) => d.name === name) as
    IntentDefinition | FlowDefinition | undefined;
}

/** 400 `limit_exceeded`, naming the first limit broken (limits.ts). */
function limitError(problems: IssueDetail[]): StudioValidationError {
  const first = problems[0]!;
  return new StudioValidationError(
    'limit_exceeded',
    `${first.path ? `${first.path}: ` : ''}${first.message}`,
    problems,
  );
}

/**
 * `edit` refused when it leaves the draft breaking more limits than before (a draft already over
 * a lowered limit can still be edited back under it).
 */
function withinLimits(edit: (c: DraftContent) => boolean, locale: Locale) {
  return (content: DraftContent) => {
    const before = draftLimitProblems(content, locale).length;
    const changed = edit(content);
    const after = draftLimitProblems(content, locale);
    if (changed && after.length > before) throw limitError(after);
    return changed;
  };
}

/** The definition checked, or a StudioValidationError naming its first problem. */
function checkedDefinition(kind: DefinitionKind, name: string, body: unknown, locale: Locale) {
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
  const overLimits =
    kind === 'intent'
      ? intentLimitProblems(checked.value as IntentDefinition, locale)
      : flowLimitProblems(checked.value as FlowDefinition, locale);
  if (overLimits.length > 0) throw limitError(overLimits);
  return checked.value;
}

export function createDraftEditor(lock: StudioLock, live: () => VersionedCatalogue): DraftEditor {
  async function editDraft(
    actor: Actor,
    details: Record<string, unknown>,
    edit: (c: DraftContent) => boolean,
    target: AuditTarget = { type: 'catalogue', id: 'draft' },
    locale: Locale = 'es',
  ): Promise<Draft> {
    return lock(async () => {
      const before = await readDraft(live());
      const saved = await saveDraftEdit(live(), actorLabel(actor), withinLimits(edit, locale));
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
    async draft(locale) {
      return view(await readDraft(live()), locale);
    },

    async putDefinition(kind, name, body, actor, locale) {
      const value = checkedDefinition(kind, name, body, locale);
      const previous = await findInDraft(live(), kind, name);
      const saved = await editDraft(
        actor,
        { operation: previous ? 'update' : 'create' },
        (c) => upsertByName(listOf(c, kind), value),
        {
          type: kind,
          id: name,
          before: auditShape(kind, previous),
          after: () => auditShape(kind, value),
        },
        locale,
      );
      return view(saved, locale);
    },

    async deleteDefinition(kind, name, actor, locale) {
      const previous = await findInDraft(live(), kind, name);
      if (!previous) throw new NotInDraftError(kind, name);
      const saved = await editDraft(
        actor,
        { operation: 'delete' },
        (c) => removeByName(listOf(c, kind), name),
        { type: kind, id: name, before: auditShape(kind, previous) },
      );
      return view(saved, locale);
    },

    editDraft,
  };
}
