/**
 * The customer's last message as denormalised on the Conversation (lastMessageAt,
 * lastMessageText, lastIntent) for the console's lists. These fields ride on the conversation
 * update the engine (or the escalator's relay) already makes for a message — never a write of
 * their own on the per-message path.
 */
import { preview } from '../console-events.js';
import type { MessageDoc } from './models/message.js';

export interface LastActivity {
  lastMessageAt: Date;
  lastMessageText: string;
  lastIntent?: string;
}

/** The `$set` fields for a customer message; `lastIntent` only when the NLU recognised one. */
export function lastActivity(
  message: Pick<MessageDoc, 'text' | 'attachments'> & { createdAt?: Date },
  intent?: string | null,
): LastActivity {
  const text = message.text?.trim()
    ? message.text
    : message.attachments?.length
      ? `[${message.attachments[0]!.kind}]`
      : '';
  return {
    lastMessageAt: message.createdAt ?? new Date(),
    lastMessageText: preview(text),
    ...(intent ? { lastIntent: intent } : {}),
  };
}
