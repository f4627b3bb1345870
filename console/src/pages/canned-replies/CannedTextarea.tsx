/**
 * The composer's text box with canned replies: typing `/` (at the start or after a space) opens a
 * listbox of shared and personal replies filtered by what follows; ↑/↓ choose, Enter or Tab
 * inserts (the server fills the variables for this conversation or case), Esc closes. The box is
 * an ARIA combobox: the listbox, its options and the active one are announced.
 */
import { Box, Paper, Text, Textarea, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { CannedReplyView } from '../../../../src/features/canned-replies/schemas';
import { listCanned, renderCanned } from './api';
import { useCannedT } from './texts';

export interface CannedTarget {
  conversationId?: string;
  caseId?: string;
  /** The customer's language: its replies are listed first. */
  language?: string | null;
}

interface Props {
  value: string;
  onChange(value: string): void;
  /** Ctrl/⌘+Enter (when the picker is closed). */
  onSubmit(): void;
  target: CannedTarget;
  label: string;
  placeholder: string;
  testId: string;
  textareaRef?: Ref<HTMLTextAreaElement>;
}

/** The `/query` just before the caret, if the caret ends one. */
function slashAt(text: string, caret: number): { start: number; query: string } | null {
  const m = /(^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(text.slice(0, caret));
  if (!m) return null;
  return { start: caret - m[2]!.length - 1, query: m[2]! };
}

function matches(r: CannedReplyView, q: string): boolean {
  if (!q) return true;
  const needle = q.toLowerCase();
  return [r.shortcut, r.title, r.text].some((s) => s.toLowerCase().includes(needle));
}

function useCannedList(language: string | null | undefined, enabled: boolean) {
  const query = useQuery({
    queryKey: ['canned-replies', 'picker'],
    queryFn: () => listCanned(),
    enabled,
    staleTime: 30_000,
  });
  return useMemo(() => {
    const items = query.data?.items ?? [];
    // The customer's language first, then the others (a bilingual agent may still want them).
    return [...items].sort(
      (a, b) => Number(b.language === language) - Number(a.language === language),
    );
  }, [query.data, language]);
}

export function CannedTextarea(props: Props) {
  const { value, onChange, onSubmit, target } = props;
  const t = useCannedT();
  const listId = useId();
  const box = useRef<HTMLTextAreaElement | null>(null);
  const [slash, setSlash] = useState<{ start: number; query: string; end: number } | null>(null);
  const [active, setActive] = useState(0);
  const all = useCannedList(target.language, slash !== null);
  const options = slash ? all.filter((r) => matches(r, slash.query)).slice(0, 8) : [];
  const open = slash !== null;

  const track = (text: string, caret: number) => {
    const found = slashAt(text, caret);
    setSlash(found ? { ...found, end: caret } : null);
    setActive(0);
  };

  const insert = async (reply: CannedReplyView) => {
    if (!slash) return;
    const { start, end } = slash;
    setSlash(null);
    let text = reply.text;
    try {
      const rendered = await renderCanned(reply.id, {
        conversationId: target.conversationId,
        caseId: target.caseId,
      });
      text = rendered.text;
      if (rendered.missing.length) {
        notifications.show({
          color: 'yellow',
          message: t('missing', { names: rendered.missing.map((m) => t(`var.${m}`)).join(', ') }),
        });
      }
    } catch {
      // Inserted as written: the agent sees the {{variables}} and can fill them in.
    }
    const next = value.slice(0, start) + text + value.slice(end);
    onChange(next);
    requestAnimationFrame(() => {
      const el = box.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + text.length, start + text.length);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = Math.max(options.length, 1);
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && options[active]) {
        e.preventDefault();
        void insert(options[active]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setSlash(null);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onSubmit();
    }
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;
  return (
    <Box pos="relative">
      <Textarea
        ref={(el) => {
          box.current = el;
          const r = props.textareaRef;
          if (typeof r === 'function') r(el);
          else if (r) (r as { current: HTMLTextAreaElement | null }).current = el;
        }}
        placeholder={props.placeholder}
        aria-label={props.label}
        autosize
        minRows={2}
        maxRows={5}
        maxLength={4000}
        value={value}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open && options[active] ? optionId(active) : undefined}
        onChange={(e) => {
          onChange(e.currentTarget.value);
          track(e.currentTarget.value, e.currentTarget.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setSlash(null), 150)}
        data-testid={props.testId}
      />
      {open && (
        <CannedListbox
          id={listId}
          options={options}
          active={active}
          query={slash.query}
          optionId={optionId}
          onPick={(r) => void insert(r)}
          onHover={setActive}
        />
      )}
    </Box>
  );
}

function CannedListbox({
  id,
  options,
  active,
  query,
  optionId,
  onPick,
  onHover,
}: {
  id: string;
  options: CannedReplyView[];
  active: number;
  query: string;
  optionId(i: number): string;
  onPick(r: CannedReplyView): void;
  onHover(i: number): void;
}) {
  const t = useCannedT();
  return (
    <Paper withBorder shadow="sm" mt={4} p={4} className="canned-picker">
      <Box
        id={id}
        role="listbox"
        aria-label={t('pickerLabel')}
        mah={200}
        style={{ overflowY: 'auto' }}
        data-testid="canned-picker"
      >
        {options.map((r, i) => (
          <UnstyledButton
            key={r.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            tabIndex={-1}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(r)}
            onMouseEnter={() => onHover(i)}
            className="canned-option"
            data-active={i === active || undefined}
            data-testid="canned-option"
            w="100%"
            px="xs"
            py={4}
          >
            <Text size="sm" fw={600} span>
              /{r.shortcut}
            </Text>{' '}
            <Text size="sm" span>
              {r.title}
            </Text>{' '}
            <Text size="xs" c="dimmed" span>
              {r.language.toUpperCase()} · {t(`scope.${r.scope}`)}
            </Text>
            <Text size="xs" c="dimmed" lineClamp={1}>
              {r.text}
            </Text>
          </UnstyledButton>
        ))}
        {options.length === 0 && (
          <Text size="sm" c="dimmed" px="xs" py={4}>
            {t('pickerEmpty', { q: query })}
          </Text>
        )}
      </Box>
      <Text size="xs" c="dimmed" px="xs" visibleFrom="sm">
        {t('pickerHint')}
      </Text>
    </Paper>
  );
}
