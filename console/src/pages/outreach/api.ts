/** Reply anywhere (docs/console-api.md): take a conversation over, write to a contact. */
import { call } from '../../api/client';

/** Takes the conversation (from the bot or the queue) and, with a text, writes it. */
export const takeOverConversation = (id: string, text?: string) =>
  call('POST /api/conversations/:id/take-over', {
    params: { id },
    body: text ? { text } : {},
  });

export const contactReach = (id: string) => call('GET /api/contacts/:id/reach', { params: { id } });

export const startConversation = (id: string, channel: string, text: string) =>
  call('POST /api/contacts/:id/conversations', {
    params: { id },
    body: { channel: channel as never, text },
  });
