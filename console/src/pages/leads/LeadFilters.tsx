/**
 * The pipeline's filters (kept in the URL): text, status (table only: the board has a column per
 * status), channel, language, score range, owner, created between and consent.
 */
import { Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import type { z } from 'zod';
import type { leadListQuery } from '../../../../src/features/leads/schemas';
import { CHANNELS } from '../../api/types';
import type { Query } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { dayBound } from '../conversations/ConversationsPage';
import { useLeadsT } from './texts';
import { LEAD_STATUSES, type LeadOwner } from './types';

/**
 * Each filter kept in the URL and the parameter of GET /api/leads it sets (the server's own
 * names, checked against its query schema): `from`/`to` are the days a lead was created between.
 */
const API_PARAM = {
  q: 'q',
  status: 'status',
  channel: 'channel',
  language: 'language',
  scoreMin: 'scoreMin',
  scoreMax: 'scoreMax',
  owner: 'owner',
  from: 'createdFrom',
  to: 'createdTo',
  consent: 'consent',
  segment: 'segment',
} as const satisfies Record<string, keyof z.input<typeof leadListQuery>>;
export type LeadFilter = keyof typeof API_PARAM;
export const LEAD_FILTERS = Object.keys(API_PARAM) as LeadFilter[];
export type LeadFilterValues = Record<LeadFilter, string>;

/** The API query of the URL's filters (`from`/`to` days as the local day's bounds). */
export function leadQuery(values: LeadFilterValues, board: boolean): Query {
  const query: Query = {};
  for (const key of LEAD_FILTERS) {
    // On the board the columns are the statuses.
    if (board && key === 'status') continue;
    const value =
      key === 'from' || key === 'to' ? dayBound(values[key], key === 'to') : values[key];
    query[API_PARAM[key]] = value;
  }
  return query;
}

const isScore = (v: string) => v === '' || /^\d{1,7}$/.test(v);

export function LeadFilters({
  values,
  onChange,
  onClear,
  active,
  board,
  owners,
  segments,
}: {
  values: LeadFilterValues;
  onChange(patch: Partial<LeadFilterValues>): void;
  onClear(): void;
  active: boolean;
  board: boolean;
  owners: LeadOwner[];
  /** Saved segments, when the server has them. */
  segments?: { id: string; name: string }[];
}) {
  const { t: tc } = useI18n();
  const t = useLeadsT();
  const select = (key: LeadFilter, label: string, data: { value: string; label: string }[]) => (
    <Select
      label={label}
      placeholder={tc('filter.any')}
      data={data}
      value={values[key] || null}
      onChange={(v) => onChange({ [key]: v ?? '' })}
      clearable
      searchable={data.length > 8}
      size="sm"
      data-testid={`filter-${key}`}
      comboboxProps={{ withinPortal: true }}
    />
  );
  /** A typed value, once it is complete (Enter or leaving the field) and only if it changed. */
  const commit = (key: LeadFilter, raw: string) => {
    const v = raw.trim();
    if (v === values[key] || (key.startsWith('score') && !isScore(v))) return;
    onChange({ [key]: v });
  };
  const text = (key: LeadFilter, label: string, type = 'text') => (
    <TextInput
      label={label}
      type={type}
      defaultValue={values[key]}
      inputMode={key.startsWith('score') ? 'numeric' : undefined}
      onBlur={(e) => commit(key, e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit(key, e.currentTarget.value);
      }}
      size="sm"
      data-testid={`filter-${key}`}
    />
  );
  const day = (key: 'from' | 'to', label: string) => (
    <TextInput
      type="date"
      label={label}
      value={values[key]}
      onChange={(e) => onChange({ [key]: e.currentTarget.value })}
      size="sm"
      data-testid={`filter-${key}`}
    />
  );
  return (
    <form role="search" aria-label={tc('filter.title')} onSubmit={(e) => e.preventDefault()}>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm" mb="md">
        {text('q', tc('filter.search'))}
        {segments &&
          segments.length > 0 &&
          select(
            'segment',
            t('segment'),
            segments.map((s) => ({ value: s.id, label: s.name })),
          )}
        {!board &&
          select(
            'status',
            t('status'),
            LEAD_STATUSES.map((s) => ({ value: s, label: tc(`lead.${s}`) })),
          )}
        {select(
          'channel',
          t('channel'),
          CHANNELS.map((c) => ({ value: c, label: tc(`channel.${c}`) })),
        )}
        {select('language', t('language'), [
          { value: 'es', label: tc('language.es') },
          { value: 'en', label: tc('language.en') },
        ])}
        {text('scoreMin', t('scoreMin'))}
        {text('scoreMax', t('scoreMax'))}
        {select(
          'owner',
          t('owner'),
          owners.map((o) => ({ value: o.id, label: o.name })),
        )}
        {day('from', t('createdFrom'))}
        {day('to', t('createdTo'))}
        {select('consent', t('consent'), [
          { value: 'granted', label: t('consentGranted') },
          { value: 'withheld', label: t('consentWithheld') },
        ])}
      </SimpleGrid>
      {active && (
        <Group mb="sm">
          <Button variant="subtle" size="xs" onClick={onClear}>
            {tc('filter.clear')}
          </Button>
        </Group>
      )}
    </form>
  );
}
