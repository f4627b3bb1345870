/**
 * Search everywhere: which types the actor may read (ACCESS, as each type's list route), the
 * query's terms, and one search per type, in parallel.
 */
import type { mongo } from 'mongoose';
import { forbidden } from '../../kernel/errors.js';
import { ACCESS, type Actor, type Role } from '../../kernel/roles.js';
import { queryTerms } from '../../kernel/search-terms.js';
import type { TermStats } from './common-terms.js';
import {
  searchCases,
  searchContacts,
  searchConversations,
  searchLeads,
  type SearchInput,
} from './query.js';
import { SEARCH_TYPES, type SearchGroup, type SearchResult, type SearchType } from './schemas.js';

/** Each type's read rule: the same ACCESS entry as its list route. */
const READ: Record<SearchType, readonly Role[]> = {
  contacts: ACCESS.contacts.read,
  conversations: ACCESS.conversations.read,
  cases: ACCESS.cases.read,
  leads: ACCESS.leads.read,
};

const SEARCHERS: Record<SearchType, (input: SearchInput) => Promise<SearchGroup>> = {
  contacts: searchContacts,
  conversations: searchConversations,
  cases: searchCases,
  leads: searchLeads,
};

export const mayRead = (actor: Actor, type: SearchType) =>
  actor.role === 'admin' || READ[type].includes(actor.role);

/** The types searched: the asked ones (each must be readable, else 403) or every readable one. */
export function typesFor(actor: Actor, asked: SearchType[] | undefined): SearchType[] {
  if (!asked) return SEARCH_TYPES.filter((t) => mayRead(actor, t));
  const refused = asked.filter((t) => !mayRead(actor, t));
  if (refused.length) {
    throw forbidden('forbidden_type', `Your role may not search ${refused.join(', ')}.`);
  }
  return SEARCH_TYPES.filter((t) => asked.includes(t));
}

/** A case number the query spells: CS-000042, cs42 or a bare 42 → CS-000042. */
export function caseNumberOf(q: string): string | null {
  const m = /^(?:cs[-\s]?)?(\d{1,6})$/i.exec(q.trim());
  return m ? `CS-${m[1]!.padStart(6, '0')}` : null;
}

/** A phone typed with spaces or a prefix (+34 600 123 456) is one term: its last nine digits. */
export function termsOfQuery(q: string): string[] {
  if (/^[\d\s+().-]+$/.test(q) && /\d{3}/.test(q)) {
    const digits = q.replace(/\D/g, '');
    if (digits.length >= 6) return [digits.length > 9 ? digits.slice(-9) : digits];
  }
  return queryTerms(q);
}

export async function search(
  actor: Actor,
  query: { q: string; types?: SearchType[]; limit: number },
  stats: (collection: mongo.Collection, field: string) => Promise<TermStats>,
): Promise<SearchResult> {
  const types = typesFor(actor, query.types);
  const terms = termsOfQuery(query.q);
  const input: SearchInput = {
    terms,
    caseNumber: caseNumberOf(query.q),
    limit: query.limit,
    stats,
  };
  const groups = await Promise.all(types.map((t) => SEARCHERS[t](input)));
  return { q: query.q, terms, groups };
}
