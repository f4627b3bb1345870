/** The conversation calls of the console data API (docs/console-api.md). */
import { call, type Query } from '../../api/client';

export const PAGE_SIZE = 50;

export const listConversations = (query: Query) => call('GET /api/conversations', { query });

export const getConversation = (id: string) =>
  call('GET /api/conversations/:id', { params: { id } });

export const claimConversation = (id: string) =>
  call('POST /api/conversations/:id/claim', { params: { id } });

export const closeConversation = (id: string) =>
  call('POST /api/conversations/:id/close', { params: { id } });

export const replyToConversation = (id: string, text: string) =>
  call('POST /api/conversations/:id/reply', { params: { id }, body: { text } });

/** A staff-only note: stored on the transcript (and echoed to the Slack thread), never sent. */
export const addConversationNote = (id: string, text: string) =>
  call('POST /api/conversations/:id/note', { params: { id }, body: { text } });

/** The counts of the inbox's views for the signed-in user (mine, waiting, open, by channel). */
export const getInboxCounts = () => call('GET /api/conversations/views');

/** Clears the conversation's unread marker for the signed-in user. */
export const markSeen = (id: string) =>
  call('POST /api/conversations/:id/seen', { params: { id } });
