/** The conversation calls of the console data API (docs/console-api.md). */
import { api, type Query } from '../../api/client';
import type { ConversationDetail, ConversationSummary, Message, Page } from '../../api/types';

export const PAGE_SIZE = 50;

export const listConversations = (query: Query) =>
  api<Page<ConversationSummary>>('/api/conversations', { query });

export const getConversation = (id: string) =>
  api<ConversationDetail>(`/api/conversations/${encodeURIComponent(id)}`);

export const claimConversation = (id: string) =>
  api<ConversationSummary>(`/api/conversations/${encodeURIComponent(id)}/claim`, {
    method: 'POST',
  });

export const closeConversation = (id: string) =>
  api<ConversationSummary>(`/api/conversations/${encodeURIComponent(id)}/close`, {
    method: 'POST',
  });

export const replyToConversation = (id: string, text: string) =>
  api<{ message: Message }>(`/api/conversations/${encodeURIComponent(id)}/reply`, {
    method: 'POST',
    body: { text },
  });

/** A staff-only note: stored on the transcript (and echoed to the Slack thread), never sent. */
export const addConversationNote = (id: string, text: string) =>
  api<{ message: Message }>(`/api/conversations/${encodeURIComponent(id)}/note`, {
    method: 'POST',
    body: { text },
  });
