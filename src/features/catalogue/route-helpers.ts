/** What the studio's route modules share: the caller's language and the draft as JSON. */
import type { FastifyRequest } from 'fastify';
import { localeFromHeader } from './issues.js';
import type { DraftView } from './draft-edits.js';

/** The language of validation details and error messages: the caller's Accept-Language. */
export const adminLocale = (req: FastifyRequest) =>
  localeFromHeader(req.headers['accept-language']);

export const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function draftView(d: DraftView) {
  return { ...d, updatedAt: iso(d.updatedAt) };
}
