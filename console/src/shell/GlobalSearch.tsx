/**
 * Search everywhere (issue 19.7): the header's search button opens a dialog with one box over
 * `GET /api/search` — contacts, conversations, cases and leads, grouped as the server answers
 * (only the types the role may read). The box is an ARIA combobox over a listbox of options
 * grouped by type; ↑/↓ move, Enter opens the item's page, Esc closes. Ctrl+K / ⌘K (anywhere)
 * and `/` (outside a text box) open it: see useGlobalKeys in AppFrame. Everything the server
 * returns is rendered as text (React escapes it), never as HTML.
 */
import {
  Alert,
  Anchor,
  Box,
  Group,
  Kbd,
  Loader,
  Modal,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { call, errorText } from '../api/client';
import type { SearchHit, SearchResult } from '../api/types';
import type { MessageKey } from '../i18n/en';
import { en } from '../i18n/en';
import { useI18n, useVocabularyNames } from '../i18n/i18n';
import { useNarrow } from '../components/use-narrow';

const isMac = () => /mac|iphone|ipad/i.test(navigator.platform || navigator.userAgent);

/** The modifier people press with K on this machine, as shown in the hints. */
export const searchKeyLabel = () => (isMac() ? '⌘K' : 'Ctrl+K');

function SearchIcon({ size = 16 }: { size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="11" cy="11" r="7" />
      <path d="M20 20l-4-4" />
    </svg>
  );
}

/** The header's button: a box-like button on wide screens, an icon on phones. */
export function SearchTrigger({ onOpen }: { onOpen: () => void }) {
  const { t } = useI18n();
  return (
    <UnstyledButton
      onClick={onOpen}
      aria-label={t('search.label')}
      aria-keyshortcuts="Control+K Meta+K /"
      aria-haspopup="dialog"
      data-testid="global-search"
      className="global-search-trigger"
    >
      <Group gap={8} wrap="nowrap">
        <SearchIcon />
        <Text size="sm" c="dimmed" visibleFrom="md" component="span" style={{ flex: 1 }}>
          {t('search.open')}…
        </Text>
        <Kbd size="xs" visibleFrom="md">
          {searchKeyLabel()}
        </Kbd>
      </Group>
    </UnstyledButton>
  );
}

const MIN_CHARS = 1;

/** Where each type's status codes are named in the dictionary. */
const STATUS_PREFIX = { conversations: 'status', cases: 'case', leads: 'lead', contacts: null };

/** The hit's second line: the server's subtitle, then its channel and status, named. */
function useDetails(): (hit: SearchHit) => string | null {
  const { t } = useI18n();
  const names = useVocabularyNames();
  return (hit) => {
    const prefix = STATUS_PREFIX[hit.type];
    const key = prefix && hit.status ? `${prefix}.${hit.status}` : null;
    const status = key ? (key in en ? t(key as MessageKey) : hit.status) : null;
    const parts = [hit.subtitle, hit.channel && names.channel(hit.channel), status];
    return parts.filter(Boolean).join(' · ') || null;
  };
}

function useSearch(q: string) {
  const [debounced] = useDebouncedValue(q.trim(), 200);
  return {
    term: debounced,
    query: useQuery({
      queryKey: ['search', debounced],
      queryFn: () => call('GET /api/search', { query: { q: debounced, limit: 5 } }),
      enabled: debounced.length >= MIN_CHARS,
      placeholderData: keepPreviousData,
      staleTime: 15_000,
    }),
  };
}

function Option({
  hit,
  id,
  active,
  onPick,
  onHover,
}: {
  hit: SearchHit;
  id: string;
  active: boolean;
  onPick: () => void;
  onHover: () => void;
}) {
  const details = useDetails()(hit);
  return (
    <Anchor
      component={Link}
      to={hit.href}
      id={id}
      role="option"
      aria-selected={active}
      tabIndex={-1}
      underline="never"
      c="inherit"
      onClick={onPick}
      onMouseMove={onHover}
      // Keep focus in the box: a click still follows the link.
      onMouseDown={(e) => e.preventDefault()}
      className="global-search-option"
      data-active={active || undefined}
      data-testid="search-hit"
      data-type={hit.type}
      data-id={hit.id}
    >
      <Text size="sm" fw={600} truncate="end">
        {hit.title}
      </Text>
      {details && (
        <Text size="xs" c="dimmed" truncate="end">
          {details}
        </Text>
      )}
      {hit.snippet && (
        <Text size="xs" lineClamp={2} className="transcript-text">
          {hit.snippet}
        </Text>
      )}
    </Anchor>
  );
}

function Results({
  result,
  listId,
  optionId,
  active,
  setActive,
  pick,
}: {
  result: SearchResult;
  listId: string;
  optionId: (i: number) => string;
  active: number;
  setActive: (i: number) => void;
  pick: (hit: SearchHit) => void;
}) {
  const { t } = useI18n();
  let index = 0;
  const groups = result.groups.filter((g) => g.items.length > 0);
  return (
    <Box
      role="listbox"
      id={listId}
      aria-label={t('search.results')}
      data-testid="search-results"
      className="global-search-list"
    >
      {groups.map((g) => {
        const headingId = `${listId}-${g.type}`;
        return (
          <Box
            key={g.type}
            role="group"
            aria-labelledby={headingId}
            data-testid={`search-group-${g.type}`}
            mb="sm"
          >
            <Text
              id={headingId}
              role="presentation"
              size="xs"
              fw={700}
              tt="uppercase"
              c="dimmed"
              px="xs"
              py={4}
            >
              {t(`search.group.${g.type}`)}
            </Text>
            {g.items.map((hit) => {
              const i = index++;
              return (
                <Option
                  key={`${hit.type}-${hit.id}`}
                  hit={hit}
                  id={optionId(i)}
                  active={i === active}
                  onHover={() => setActive(i)}
                  onPick={() => pick(hit)}
                />
              );
            })}
            {g.more && (
              <Text size="xs" c="dimmed" px="xs" pt={2}>
                {t('search.more')}
              </Text>
            )}
          </Box>
        );
      })}
    </Box>
  );
}

export function GlobalSearch({
  opened,
  onClose,
  onHelp,
}: {
  opened: boolean;
  onClose: () => void;
  onHelp: () => void;
}) {
  const { t } = useI18n();
  const narrow = useNarrow();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const { term, query } = useSearch(q);
  const base = useId().replace(/:/g, '');
  const listId = `${base}-list`;
  const optionId = (i: number) => `${base}-opt-${i}`;
  const inputRef = useRef<HTMLInputElement>(null);

  const result = term.length >= MIN_CHARS ? query.data : undefined;
  const flat = useMemo(() => result?.groups.flatMap((g) => g.items) ?? [], [result]);
  useEffect(() => setActive(0), [result]);
  useEffect(() => {
    if (!opened) setQ('');
  }, [opened]);
  // The active option stays in view while moving with the arrows.
  useEffect(() => {
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  });

  const pick = (hit: SearchHit) => {
    onClose();
    void navigate(hit.href);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (flat.length === 0) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((active + step + flat.length) % flat.length);
    } else if (e.key === 'Home' && e.ctrlKey) {
      setActive(0);
    } else if (e.key === 'End' && e.ctrlKey) {
      setActive(flat.length - 1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const hit = flat[active];
      if (hit) pick(hit);
    }
  };

  const expanded = flat.length > 0;
  const waiting = q.trim().length >= MIN_CHARS && (term !== q.trim() || query.isFetching);
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('search.label')}
      fullScreen={narrow}
      size="lg"
      yOffset="8vh"
      data-testid="global-search-dialog"
    >
      <Stack gap="sm">
        <TextInput
          ref={inputRef}
          data-autofocus
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded ? optionId(active) : undefined}
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          leftSection={<SearchIcon />}
          rightSection={waiting ? <Loader size="xs" aria-label={t('search.loading')} /> : null}
          data-testid="global-search-input"
        />
        <div aria-live="polite" className="visually-hidden">
          {result && t('search.count', { count: flat.length })}
        </div>
        {!result && !query.isError && (
          <Text size="sm" c="dimmed">
            {t('search.hint')}
          </Text>
        )}
        {query.isError && term && (
          <Alert color="red" variant="light" role="alert">
            {t('search.error', { message: errorText(query.error) })}
          </Alert>
        )}
        {result && flat.length === 0 && (
          <Box data-testid="search-empty">
            <Text size="sm">{t('search.none', { q: result.q })}</Text>
            <Text size="xs" c="dimmed">
              {t('search.noneHint')}
            </Text>
          </Box>
        )}
        {result && expanded && (
          <Results
            result={result}
            listId={listId}
            optionId={optionId}
            active={active}
            setActive={setActive}
            pick={pick}
          />
        )}
        <Group justify="space-between" gap="xs">
          <Text size="xs" c="dimmed" visibleFrom="sm">
            {t('search.keys')}
          </Text>
          <Anchor component="button" type="button" size="xs" onClick={onHelp}>
            {t('search.shortcuts')} <Kbd size="xs">?</Kbd>
          </Anchor>
        </Group>
      </Stack>
    </Modal>
  );
}
