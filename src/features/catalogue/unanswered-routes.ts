/**
 * What the bot missed (admin only; grouping in src/features/catalogue/unanswered.ts):
 *   GET  /api/nlu/unanswered?from=&to=&language=&limit=  → groups, biggest first
 *   POST /api/nlu/unanswered/add {messageIds | text, intent, language} → phrases added to the draft
 *   POST /api/nlu/unanswered/dismiss {ids}               → hidden from the list
 *   GET  /api/nlu/clarified?from=&to=&language=&limit=   → messages the bot asked about, with
 *        the intent the customer picked (add them with /api/nlu/unanswered/add {messageIds})
 * The range is at most 92 days (default: the last 30) and at most 2000 messages are read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recordAudit } from '../../kernel/audit.js';
import { ACCESS, actorLabel } from '../../kernel/roles.js';
import { localeFromHeader } from './issues.js';
import { normalizePhrase } from './report.js';
import { NotInDraftError, type Studio } from './studio.js';
import {
  MAX_RANGE_DAYS,
  clarifiedPicks,
  dismissMessages,
  messageTexts,
  resolveRange,
  unansweredGroups,
} from './unanswered.js';
import type { CharlaNlu } from '../../pipeline/nlu/index.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { mountStudioErrorHandler } from './studio-error-handler.js';
import { HttpError } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import {
  unansweredAddBody as addBody,
  unansweredAddOut,
  unansweredClarifiedOut as clarifiedOut,
  unansweredDismissBody as dismissBody,
  unansweredDismissOut,
  unansweredListOut as listOut,
  unansweredQuery as query,
  type UnansweredQuery,
} from './schemas.js';

const endOfDay = (v: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T23:59:59.999Z`) : new Date(v);

function rangeOf(req: FastifyRequest, q: UnansweredQuery) {
  const { from, to } = resolveRange({
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? endOfDay(q.to) : undefined,
  });
  const es = localeFromHeader(req.headers['accept-language']) === 'es';
  if (from > to) {
    throw new HttpError(
      400,
      'invalid_request',
      es ? '`from` debe ser anterior a `to`.' : '`from` must be before `to`.',
    );
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw new HttpError(
      400,
      'invalid_request',
      es
        ? `El intervalo es de ${MAX_RANGE_DAYS} días como máximo: acorta \`from\`–\`to\`.`
        : `The range is at most ${MAX_RANGE_DAYS} days: narrow \`from\`–\`to\`.`,
    );
  }
  return { from, to };
}

export function mountUnansweredRoutes(
  server: FastifyInstance,
  deps: { studio: Studio; nlu: CharlaNlu; threshold: number },
): void {
  void server.register(async (scope) => {
    mountStudioErrorHandler(scope);
    mountRoutes(scope, deps);
  });
}

function mountRoutes(
  server: FastifyInstance,
  deps: { studio: Studio; nlu: CharlaNlu; threshold: number },
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(...ACCESS.studio.write); // admin only
  const tags = ['catalogue'];

  app.get(
    '/api/nlu/unanswered',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Messages the bot fell back on or was unsure of, grouped by similarity',
        querystring: query,
        response: { 200: listOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const { from, to } = rangeOf(req, req.query);
      const result = await unansweredGroups(deps.nlu, deps.threshold, {
        from,
        to,
        language: req.query.language,
        limit: req.query.limit,
      });
      return {
        ...result,
        from: result.from.toISOString(),
        to: result.to.toISOString(),
        groups: result.groups.map((g) => ({
          ...g,
          examples: g.examples.map((e) => ({ ...e, at: e.at.toISOString() })),
          firstAt: g.firstAt.toISOString(),
          lastAt: g.lastAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/nlu/clarified',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Messages the bot asked about, with the intent the customer picked',
        querystring: query,
        response: { 200: clarifiedOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const { from, to } = rangeOf(req, req.query);
      const picks = await clarifiedPicks({
        from,
        to,
        language: req.query.language,
        limit: req.query.limit,
      });
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        picks: picks.map((p) => ({ ...p, at: p.at.toISOString() })),
      };
    },
  );

  app.post(
    '/api/nlu/unanswered/add',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Add messages (or a text) as training phrases of a draft intent',
        body: addBody,
        response: { 200: unansweredAddOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const { messageIds, text, intent, language } = req.body;
      const texts = messageIds ? await messageTexts(messageIds) : [text!];
      let added = 0;
      const audit: Record<string, unknown> = { source: 'unanswered', intent, language };
      const draft = await deps.studio.editDraft(actorOf(req), audit, (c) => {
        const target = c.intents.find((i) => i.name === intent);
        if (!target) throw new NotInDraftError('intent', intent);
        const seen = new Set(target.training[language].map(normalizePhrase));
        for (const t of texts) {
          const key = normalizePhrase(t);
          if (!key || seen.has(key)) continue;
          seen.add(key);
          target.training[language].push(t);
          added++;
        }
        audit.added = added;
        return added > 0;
      });
      if (messageIds) await dismissMessages(messageIds, actorLabel(actorOf(req)));
      return { added, revision: draft.revision };
    },
  );

  app.post(
    '/api/nlu/unanswered/dismiss',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Hide messages from the unanswered list',
        body: dismissBody,
        response: { 200: unansweredDismissOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const dismissed = await dismissMessages(req.body.ids, actorLabel(actor));
      await recordAudit({
        actor,
        action: 'nlu.unanswered_dismiss',
        targetType: 'message',
        targetId: req.body.ids.length === 1 ? req.body.ids[0]! : `${req.body.ids.length} messages`,
        details: { ids: req.body.ids.slice(0, 50), dismissed },
      });
      return { dismissed };
    },
  );
}
