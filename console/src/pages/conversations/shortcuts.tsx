/**
 * The inbox's keyboard shortcuts (issue 19.8), on the conversation list and the conversation
 * page: j/k next/previous conversation, r reply, n note, e close, a assign (the assign control
 * when the page has one, else take over / claim), Esc leaves a text box. Search (Ctrl+K, /) and
 * the help (?) listing these are the shell's, everywhere (shell/AppFrame.tsx, ShortcutHelp.tsx).
 * They never fire while typing in a field or inside a dialog, and do what the visible controls
 * do (they click and focus them), so the server's rules and the confirmations stay the same.
 */
import { useEffect } from 'react';
import { useNavigate } from 'react-router';

/** The list's order, kept for j/k on the conversation page. */
const ORDER_KEY = 'charla:inbox-order';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return (
    el.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) ||
    el.getAttribute('role') === 'combobox'
  );
}

const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

function rowLinks(): HTMLAnchorElement[] {
  return [
    ...document.querySelectorAll<HTMLAnchorElement>('[data-testid="conversation-row"] a[href]'),
  ];
}

const idOf = (href: string) => /\/conversations\/([0-9a-f]{24})/.exec(href)?.[1];

function focusComposer(tab: 'reply' | 'note'): void {
  byTestId(`composer-tab-${tab}`)?.click();
  // The tab's panel mounts on selection: focus its box once it is there.
  requestAnimationFrame(() =>
    document
      .querySelector<HTMLTextAreaElement>(
        `[data-testid="${tab}-text"], [data-testid="case-${tab}-text"]`,
      )
      ?.focus(),
  );
}

function useKeys(currentId: string | undefined) {
  const navigate = useNavigate();
  useEffect(() => {
    const move = (step: 1 | -1) => {
      const links = rowLinks();
      if (links.length > 0) {
        const at = links.indexOf(document.activeElement as HTMLAnchorElement);
        const next = links[Math.min(Math.max(at + step, 0), links.length - 1)];
        next?.focus();
        next?.scrollIntoView({ block: 'nearest' });
        return;
      }
      const order = JSON.parse(sessionStorage.getItem(ORDER_KEY) ?? '[]') as string[];
      const at = currentId ? order.indexOf(currentId) : -1;
      const target = order[at + step];
      if (at >= 0 && target) void navigate(`/conversations/${target}`);
    };
    const actions: Record<string, () => void> = {
      j: () => move(1),
      k: () => move(-1),
      r: () => focusComposer('reply'),
      n: () => focusComposer('note'),
      e: () => byTestId('close')?.click(),
      a: () => {
        const control = byTestId('assign') ?? byTestId('take-over') ?? byTestId('claim');
        control?.focus();
        if (control && control !== byTestId('assign')) control.click();
      },
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if ((e.target as HTMLElement | null)?.closest?.('[role="dialog"]')) return;
      if (typing(e.target)) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const action = actions[e.key];
      if (!action) return;
      e.preventDefault();
      action();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [currentId, navigate]);
}

/** Mount once per inbox page; `conversationId` on the conversation page (for j/k). */
export function InboxShortcuts({ conversationId }: { conversationId?: string }) {
  useKeys(conversationId);
  // On the list: remember its order for j/k on the conversation page.
  useEffect(() => {
    if (conversationId) return;
    const ids = rowLinks()
      .map((a) => idOf(a.href))
      .filter(Boolean);
    if (ids.length) sessionStorage.setItem(ORDER_KEY, JSON.stringify(ids));
  });
  return null;
}
