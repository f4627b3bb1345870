/**
 * Customers for the console (docs/console-api.md), marketer, agent and viewer (admin always):
 *   GET /api/contacts?q=&channel=&tag=&limit=&offset=   merged-away contacts left out
 *   GET /api/contacts/:id                               the single customer view
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contactView, listContacts } from './view.js';
import { CHANNEL_IDS } from '../../kernel/contracts/messages.js';
import { requireRole } from '../../http/guard.js';
import { conversationSummarySchema } from '../conversations/routes.js';
import { notFound } from '../../http/errors.js';
import { optionalFilter } from '../../http/validation.js';
import { errorResponses, pageQuery } from '../../http/schemas.js';

const nullableString = z.string().nullable();

const contactSummarySchema = z
  .object({
    id: z.string(),
    name: nullableString,
    emails: z.array(z.string()),
    phones: z.array(z.string()),
    channels: z.array(z.string()),
    tags: z.array(z.string()),
    locale: z.enum(['es', 'en']).nullable(),
    marketingConsent: z.object({ granted: z.boolean(), updatedAt: nullableString }),
    createdAt: nullableString,
    updatedAt: nullableString,
  })
  .meta({ id: 'ContactSummary' });

const engagementSchema = z
  .object({
    firstContactAt: nullableString,
    lastContactAt: nullableString,
    conversations: z.number().int(),
    channels: z.array(z.string()),
    leads: z.number().int(),
    cases: z.number().int(),
    openCases: z.number().int(),
    csat: z
      .object({ average: z.number(), responses: z.number().int() })
      .nullable()
      .describe('average CSAT of the cases that carry one (newest 100 cases)'),
    sentiment: z.object({
      average: z.number().nullable().describe('mean message score, -1 … 1'),
      frustratedConversations: z.number().int(),
    }),
  })
  .meta({ id: 'ContactEngagement' });

const contactViewSchema = z
  .object({
    contact: contactSummarySchema.extend({
      identities: z.array(
        z.object({ channel: z.string(), platformUserId: z.string(), displayName: nullableString }),
      ),
      mergedInto: nullableString,
      erasedAt: nullableString.describe('set once the person was erased; nothing personal is left'),
    }),
    engagement: engagementSchema,
    conversations: z.array(conversationSummarySchema),
    leads: z.array(
      z.object({
        id: z.string(),
        status: z.string(),
        name: nullableString,
        email: nullableString,
        phone: nullableString,
        company: nullableString,
        interest: nullableString,
        score: z.number(),
        channel: z.string(),
        conversationId: nullableString,
        createdAt: nullableString,
      }),
    ),
    cases: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        type: z.string(),
        status: z.string(),
        priority: z.string(),
        subject: nullableString,
        channel: nullableString,
        conversationId: nullableString,
        createdAt: nullableString,
        exportPath: nullableString.describe(
          "privacy requests: the person's data export (GET, admin only)",
        ),
      }),
    ),
    consent: z.object({
      marketing: z.object({ granted: z.boolean(), updatedAt: nullableString }),
      history: z.array(
        z.object({
          action: z.enum(['consent.grant', 'consent.revoke']),
          at: z.string(),
          actor: z.string(),
        }),
      ),
    }),
    merges: z.array(
      z.object({
        mergedId: z.string(),
        at: z.string(),
        actor: z.string(),
        reason: nullableString,
        channels: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'ContactView' });

const listQuery = z.object({
  q: optionalFilter(z.string().trim().max(200)),
  channel: optionalFilter(z.enum(CHANNEL_IDS)),
  tag: optionalFilter(z.string().trim().min(1).max(100)),
  ...pageQuery,
});

export function mountContactRoutes(server: FastifyInstance): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole('marketer', 'agent', 'viewer');
  const tags = ['contacts'];

  app.get(
    '/api/contacts',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Search customers by name, email or phone; filter by channel or tag',
        querystring: listQuery,
        response: {
          200: z.object({ items: z.array(contactSummarySchema), total: z.number().int() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => listContacts(req.query),
  );

  app.get(
    '/api/contacts/:id',
    {
      onRequest,
      schema: {
        tags,
        summary:
          'The single customer view: identities, conversations, leads, cases, consent, merges',
        params: z.object({ id: z.string().max(64).describe('contact id (24 hex digits)') }),
        response: { 200: contactViewSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const view = await contactView(req.params.id);
      if (!view) throw notFound('The contact');
      return view;
    },
  );
}
