/**
 * Publishing the studio draft as a new catalogue version, and rolling back (a new version that
 * copies an old one). Both run under the studio lock, write an audit entry, then announce the
 * version so every instance switches to it (sync.ts).
 */
import { recordAudit } from '../../kernel/audit.js';
import { actorLabel, type Actor } from '../../kernel/roles.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import { discardDraft, readDraft } from './draft.js';
import { draftLimitProblems } from './limits.js';
import type { StudioLock } from './lock.js';
import { runAnalysis } from './report.js';
import type { CatalogueReport } from './schemas.js';
import { StudioValidationError } from './studio-errors.js';
import type { CatalogueSync } from './sync.js';
import { draftProblems, parseDraft } from './validate.js';
import { appendVersion, loadVersion, versionReport, type VersionedCatalogue } from './versions.js';

export interface PublishDeps {
  lock: StudioLock;
  live: () => VersionedCatalogue;
  sync: CatalogueSync;
  threshold?: number;
  defaultLocale: Locale;
  /** The model cache's directory (NLU_CACHE_DIR); reports are cached there too. */
  cacheDir?: string;
}

/** The draft as a new version with its report; a StudioValidationError when it has problems. */
async function publishUnderLock(
  deps: PublishDeps,
  actor: Actor,
  locale: Locale,
): Promise<{ version: number; report: CatalogueReport }> {
  const draft = await readDraft(deps.live());
  const overLimits = draftLimitProblems(draft, locale);
  if (overLimits.length > 0) {
    const first = overLimits[0]!;
    throw new StudioValidationError(
      'limit_exceeded',
      `${first.path}: ${first.message}`,
      overLimits,
    );
  }
  const problems = draftProblems(draft, locale);
  if (problems.length > 0) {
    throw new StudioValidationError(
      'invalid_draft',
      `${problems[0]!.path}: ${problems[0]!.message}`,
      problems,
    );
  }
  const parsed = parseDraft(draft);
  const nluOptions = { threshold: deps.threshold, defaultLanguage: deps.defaultLocale };
  // The report and the per-catalogue option search run here, once, in a worker thread (requests
  // go on being answered); every instance then trains with the chosen options.
  const { report, classifier } = await runAnalysis(parsed.intents, nluOptions, deps.cacheDir);
  const version = await appendVersion({
    ...parsed,
    classifier,
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
}

export async function publishDraft(
  deps: PublishDeps,
  actor: Actor,
  locale: Locale,
): Promise<{ version: number; report: CatalogueReport }> {
  const published = await deps.lock(() => publishUnderLock(deps, actor, locale));
  await deps.sync.announce(published.version);
  return published;
}

/** A new version with an old one's intents, flows, classifier options and report. */
async function rollbackUnderLock(deps: PublishDeps, version: number, actor: Actor) {
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
    before: { version: deps.live().version },
    after: { version: next },
    details: { copyOf: version },
  });
  return next;
}

export async function rollbackToVersion(
  deps: PublishDeps,
  version: number,
  actor: Actor,
): Promise<{ version: number }> {
  const created = await deps.lock(() => rollbackUnderLock(deps, version, actor));
  await deps.sync.announce(created);
  return { version: created };
}
