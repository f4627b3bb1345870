/** Status, priority, SLA state, assignee, channel, type and number filters of the cases list. */
import { Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { CHANNELS } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { listAssignees } from './api';
import { useCasesT, type CasesKey } from './texts';
import { CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES, SLA_STATES } from './types';

export const CASE_FILTERS = [
  'number',
  'status',
  'priority',
  'sla',
  'assignee',
  'channel',
  'type',
  'view',
] as const;
export type CaseFilter = (typeof CASE_FILTERS)[number];

export function CaseFilters({
  values,
  onChange,
  onClear,
  active,
  board,
}: {
  values: Record<CaseFilter, string>;
  onChange(patch: Partial<Record<CaseFilter, string>>): void;
  onClear(): void;
  active: boolean;
  /** On the board the columns are the statuses: no status filter. */
  board: boolean;
}) {
  const t = useCasesT();
  const { t: tc } = useI18n();
  const assignees = useQuery({ queryKey: ['cases', 'assignees'], queryFn: listAssignees });
  const select = (key: CaseFilter, label: CasesKey, data: { value: string; label: string }[]) => (
    <Select
      label={t(label)}
      placeholder={tc('filter.any')}
      data={data}
      value={values[key] || null}
      onChange={(v) => onChange({ [key]: v ?? '' })}
      clearable
      size="sm"
      data-testid={`filter-${key}`}
      comboboxProps={{ withinPortal: true }}
    />
  );
  return (
    <form role="search" aria-label={tc('filter.title')} onSubmit={(e) => e.preventDefault()}>
      <SimpleGrid cols={{ base: 2, sm: 4, xl: 7 }} spacing="sm" mb="md">
        <TextInput
          label={t('search')}
          placeholder="CS-000042"
          defaultValue={values.number}
          onBlur={(e) => onChange({ number: e.currentTarget.value.trim() })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange({ number: e.currentTarget.value.trim() });
          }}
          size="sm"
          data-testid="filter-number"
        />
        {!board &&
          select(
            'status',
            'status',
            CASE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
          )}
        {select(
          'priority',
          'priority',
          CASE_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) })),
        )}
        {select(
          'sla',
          'sla',
          SLA_STATES.map((s) => ({ value: s, label: t(`sla.${s}`) })),
        )}
        {select('assignee', 'assignee', [
          { value: 'none', label: t('unassigned') },
          ...(assignees.data?.items ?? []).map((a) => ({ value: a.id, label: a.name ?? a.id })),
        ])}
        {select(
          'channel',
          'channel',
          CHANNELS.map((c) => ({ value: c, label: tc(`channel.${c}`) })),
        )}
        {select(
          'type',
          'type',
          CASE_TYPES.map((k) => ({ value: k, label: t(`type.${k}`) })),
        )}
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
