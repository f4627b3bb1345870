/**
 * The bot studio's API calls (src/features/catalogue/routes.ts, unanswered-routes.ts). Shapes:
 * the server's (src/features/catalogue/schemas.ts), named here for the studio's pages.
 */
import { call, type Query } from '../../api/client';
import type { ResponseOf } from '../../api/endpoints';

export type { Issue } from '../../../../src/features/catalogue/schemas';
export type { Locale } from '../../../../src/kernel/vocabulary';
import type { Locale } from '../../../../src/kernel/vocabulary';

export type Draft = ResponseOf<'GET /api/catalogue/draft'>;
export type Intent = Draft['intents'][number];
export type Flow = Draft['flows'][number];
export type Report = ResponseOf<'POST /api/catalogue/publish'>['report'];
/** A published version as the server lists it. */
export type VersionItem = ResponseOf<'GET /api/catalogue/versions'>[number];
export type VersionDiff = ResponseOf<'GET /api/catalogue/versions/:version/diff'>;
export type ChatTurn = ResponseOf<'POST /api/catalogue/draft/chat'>;
export type TestResult = ResponseOf<'POST /api/catalogue/draft/test'>;
export type FaqReport = ResponseOf<'POST /api/catalogue/draft/faq-import'>;
export type UnansweredList = ResponseOf<'GET /api/nlu/unanswered'>;
export type UnansweredGroup = UnansweredList['groups'][number];

/** `body`: an intents/*.yaml or flows/*.yaml document as JSON; the server checks it. */
export const putDefinition = (kind: 'intents' | 'flows', name: string, body: unknown) =>
  kind === 'intents'
    ? call('PUT /api/catalogue/draft/intents/:name', { params: { name }, body })
    : call('PUT /api/catalogue/draft/flows/:name', { params: { name }, body });
export const deleteDefinition = (kind: 'intents' | 'flows', name: string) =>
  kind === 'intents'
    ? call('DELETE /api/catalogue/draft/intents/:name', { params: { name } })
    : call('DELETE /api/catalogue/draft/flows/:name', { params: { name } });

export const getDraft = () => call('GET /api/catalogue/draft');
export const validateDefinition = (kind: 'intent' | 'flow', definition: unknown) =>
  call('POST /api/catalogue/draft/validate', { body: { kind, definition } });
export const testDraft = (text: string) =>
  call('POST /api/catalogue/draft/test', { body: { text } });
export const chatWithDraft = (text: string, sessionId?: string) =>
  call('POST /api/catalogue/draft/chat', { body: { text, sessionId } });
export const publish = () => call('POST /api/catalogue/publish');
export const listVersions = () => call('GET /api/catalogue/versions');
export const versionDiff = (version: number) =>
  call('GET /api/catalogue/versions/:version/diff', { params: { version } });
export const rollback = (version: number) =>
  call('POST /api/catalogue/rollback', { body: { version } });
export const importFaq = (csv: string) =>
  call('POST /api/catalogue/draft/faq-import', {
    text: { content: csv, contentType: 'text/csv' },
  });
export const listUnanswered = (query: Query) => call('GET /api/nlu/unanswered', { query });
/** Messages the bot asked about, with the intent the customer picked (GET /api/nlu/clarified). */
export const listClarified = (query: Query) => call('GET /api/nlu/clarified', { query });
export type ClarifiedPick = ResponseOf<'GET /api/nlu/clarified'>['picks'][number];
export const addUnanswered = (messageIds: string[], intent: string, language: Locale) =>
  call('POST /api/nlu/unanswered/add', { body: { messageIds, intent, language } });
export const dismissUnanswered = (ids: string[]) =>
  call('POST /api/nlu/unanswered/dismiss', { body: { ids } });
