/**
 * Quick replies on WhatsApp Web: buttons are deprecated there, so options are sent as a numbered
 * list and a reply of "2" (or the option's title) is turned back into its payload. The menu is
 * remembered per chat in memory: a WhatsApp Web session runs in exactly one process.
 */
import type { QuickReply } from '../../src/kernel/contracts/messages.js';

const MENU_TTL_MS = 60 * 60 * 1000;
const MAX_MENUS = 10_000;

export function renderMenu(text: string, replies: QuickReply[]): string {
  if (replies.length === 0) return text;
  const lines = replies.map((q, i) => `${i + 1}. ${q.title}`);
  return `${text}\n\n${lines.join('\n')}`;
}

export class MenuMemory {
  private readonly menus = new Map<string, { replies: QuickReply[]; at: number }>();

  remember(chatId: string, replies: QuickReply[]): void {
    this.menus.delete(chatId);
    this.menus.set(chatId, { replies, at: Date.now() });
    // Oldest first in a Map: drop beyond the cap.
    while (this.menus.size > MAX_MENUS) this.menus.delete(this.menus.keys().next().value!);
  }

  /** The payload the customer picked, or undefined when the text is not a menu choice. */
  resolve(chatId: string, text: string): string | undefined {
    const menu = this.menus.get(chatId);
    if (!menu || Date.now() - menu.at > MENU_TTL_MS) return undefined;
    const t = text.trim();
    const n = /^(\d{1,2})[.)]?$/.exec(t);
    const picked = n
      ? menu.replies[Number(n[1]) - 1]
      : menu.replies.find((q) => q.title.trim().toLowerCase() === t.toLowerCase());
    if (picked) this.menus.delete(chatId);
    return picked?.payload;
  }
}
