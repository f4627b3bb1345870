/**
 * Lead scoring rules (src/features/leads/scoring/):
 *   GET  /api/scoring/rules → {yaml, rules, version, updatedAt, updatedBy}   (admin, marketer, viewer)
 *   PUT  /api/scoring/rules {yaml} → the same, version + 1; every lead is rescored by a queued
 *        job (not in the request). Invalid YAML or rules → 400 invalid_rules with
 *        details [{path, message}], nothing saved. Audited (scoring.rules.update).     (admin)
 *   POST /api/scoring/preview {leadId, yaml?} → {score, reasons, stored: {score, reasons}}:
 *        the lead scored with `yaml` (a draft, not saved) or the live rules; 400 invalid_rules
 *        for a draft that does not validate.                                  (admin, marketer)
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recordAudit } from '../../../kernel/audit.js';
import { actorLabel } from '../../../kernel/roles.js';
import type { Scoring } from './queue.js';
import { parseRules, type RulesProblem } from './rules.js';
import { scoreLead } from './score.js';
import { loadRules, saveRules, type LiveRules } from './store.js';
import { Lead, type LeadDoc } from '../../../kernel/db/models/lead.js';
import { actorOf, requireRole } from '../../../http/guard.js';
import { isoOrNull } from '../../../http/validation.js';
import { notFound } from '../../../http/errors.js';
import { errorResponses } from '../../../http/schemas.js';
import { ACCESS } from '../../../kernel/roles.js';
import {
  scoringPreviewBody,
  scoringPreviewResponse,
  scoringRulesBody,
  scoringRulesSchema,
  type ScoringRulesView,
} from '../schemas.js';

const rulesView = (r: LiveRules): ScoringRulesView => ({
  yaml: r.yaml,
  rules: r.rules.rules as Array<Record<string, unknown>>,
  version: r.version,
  updatedAt: isoOrNull(r.updatedAt),
  updatedBy: r.updatedBy ?? null,
});

function invalid(reply: FastifyReply, problems: RulesProblem[]) {
  return reply.code(400).send({
    error: {
      code: 'invalid_rules',
      message: `The scoring rules are not valid: ${problems[0]?.path}: ${problems[0]?.message}`,
      details: problems.map((p) => ({ path: p.path, message: p.message })),
    },
  });
}

const createdOf = (lead: LeadDoc): Date =>
  (lead as { createdAt?: Date }).createdAt ?? lead._id.getTimestamp();

export function mountScoringRoutes(scope: FastifyInstance, scoring: Scoring): void {
  const typed = scope.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/scoring/rules',
    {
      onRequest: requireRole(...ACCESS.scoring.read),
      schema: {
        tags: ['scoring'],
        summary: 'The live lead scoring rules (YAML and parsed)',
        response: { 200: scoringRulesSchema, ...errorResponses(401, 403) },
      },
    },
    async () => rulesView(await loadRules()),
  );
  typed.put(
    '/api/scoring/rules',
    {
      onRequest: requireRole(...ACCESS.scoringRules.write),
      schema: {
        tags: ['scoring'],
        summary: 'Replace the scoring rules (validated, versioned, audited; leads rescored)',
        body: scoringRulesBody,
        response: { 200: scoringRulesSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const parsed = parseRules(req.body.yaml);
      if (!parsed.ok) return invalid(reply, parsed.problems);
      const actor = actorOf(req);
      const before = await loadRules();
      const saved = await saveRules(req.body.yaml, parsed.rules, actorLabel(actor));
      await recordAudit({
        actor,
        action: 'scoring.rules.update',
        targetType: 'ScoringRules',
        targetId: 'live',
        before: { version: before.version, rules: before.rules.rules.length },
        after: { version: saved.version, rules: saved.rules.rules.length },
      });
      await scoring.rescoreAll();
      return rulesView(saved);
    },
  );
  typed.post(
    '/api/scoring/preview',
    {
      onRequest: requireRole(...ACCESS.scoring.write),
      schema: {
        tags: ['scoring'],
        summary: 'A lead scored with draft rules (or the live ones), nothing saved',
        body: scoringPreviewBody,
        response: { 200: scoringPreviewResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      let rules;
      if (req.body.yaml !== undefined) {
        const parsed = parseRules(req.body.yaml);
        if (!parsed.ok) return invalid(reply, parsed.problems);
        rules = parsed.rules;
      } else {
        rules = (await loadRules()).rules;
      }
      const lead = await Lead.findById(req.body.leadId).lean<LeadDoc>();
      if (!lead) throw notFound('The lead');
      const result = scoreLead({ ...lead, createdAt: createdOf(lead) }, rules);
      return {
        score: result.score,
        reasons: result.reasons,
        stored: {
          score: lead.score ?? 0,
          reasons: (lead.scoreReasons ?? []).map((r) => ({
            rule: r.rule,
            points: r.points,
            label: { en: r.label?.en ?? r.rule, es: r.label?.es ?? r.rule },
          })),
        },
      };
    },
  );
}
