/**
 * Reply anywhere (issue 19.3): staff take a conversation from the bot, answer from a case, or
 * start a conversation with a contact on a channel that allows it. Declared once here: the routes
 * validate and document with them, the console imports the types. Imports only zod and other
 * schema files.
 */
import { z } from 'zod';
import type { Endpoints } from '../../http/schemas.js';
import { CHANNEL_IDS } from '../../kernel/vocabulary.js';
import {
  conversationSummarySchema,
  MAX_STAFF_TEXT,
  messageSchema,
} from '../conversations/schemas.js';

/** Why staff cannot write on a channel now (the console translates the code). */
export const OUTREACH_REFUSALS = [
  'channel_off',
  'channel_not_supported',
  'outside_window',
  'session_gone',
  'no_conversation_on_channel',
] as const;
export type OutreachRefusalCode = (typeof OUTREACH_REFUSALS)[number];

const staffText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_STAFF_TEXT, `must be at most ${MAX_STAFF_TEXT} characters`);

export const takeOverBody = z
  .object({
    text: staffText.optional().describe('sent to the customer once the conversation is yours'),
  })
  .strict()
  .nullish()
  .describe('optional: without it the conversation is only taken over');

export const takeOverResponse = z
  .object({
    conversation: conversationSummarySchema,
    /** Where it came from: the bot, the queue, or already yours (then only the text was sent). */
    from: z.enum(['bot', 'queued', 'yours']),
    message: messageSchema.nullable(),
  })
  .meta({ id: 'TakeOver' });
export type TakeOverAnswer = z.infer<typeof takeOverResponse>;

export const contactIdParams = z.object({
  id: z.string().max(64).describe('contact id (24 hex digits)'),
});

export const startConversationBody = z
  .object({
    channel: z.enum(CHANNEL_IDS),
    text: staffText,
  })
  .strict();

export const reachChannelSchema = z
  .object({
    channel: z.string(),
    /** The contact's latest conversation on this channel. */
    conversationId: z.string(),
    status: z.string(),
    /** The customer's last message there (WhatsApp's 24-hour window counts from it). */
    lastMessageAt: z.string().nullable(),
    reachable: z.boolean(),
    /** Why not, when not reachable. */
    refusal: z.object({ code: z.enum(OUTREACH_REFUSALS), message: z.string() }).nullable(),
    /** Until when a windowed channel (WhatsApp) takes a free-form message. */
    windowEndsAt: z.string().nullable(),
  })
  .meta({ id: 'ReachChannel' });
export type ReachChannel = z.infer<typeof reachChannelSchema>;

export const reachResponse = z.object({ channels: z.array(reachChannelSchema) });

export const outreachEndpoints = {
  'POST /api/conversations/:id/take-over': { body: takeOverBody, response: takeOverResponse },
  'GET /api/contacts/:id/reach': { response: reachResponse },
  'POST /api/contacts/:id/conversations': {
    body: startConversationBody,
    response: takeOverResponse,
  },
} as const satisfies Endpoints;
