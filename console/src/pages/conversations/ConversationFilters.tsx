/** Channel, status, language, intent, date and text filters of the conversation list. */
import { Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { CHANNELS, CONVERSATION_STATUSES } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/en';

export const CONVERSATION_FILTERS = [
  'q',
  'channel',
  'status',
  'language',
  'intent',
  'from',
  'to',
] as const;
export type ConversationFilter = (typeof CONVERSATION_FILTERS)[number];

export function ConversationFilters({
  values,
  onChange,
  onClear,
  active,
}: {
  values: Record<ConversationFilter, string>;
  onChange(patch: Partial<Record<ConversationFilter, string>>): void;
  onClear(): void;
  active: boolean;
}) {
  const { t } = useI18n();
  const select = (
    key: ConversationFilter,
    label: MessageKey,
    data: { value: string; label: string }[],
  ) => (
    <Select
      label={t(label)}
      placeholder={t('filter.any')}
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
    <form role="search" aria-label={t('filter.title')} onSubmit={(e) => e.preventDefault()}>
      <SimpleGrid cols={{ base: 2, sm: 4, xl: 7 }} spacing="sm" mb="md">
        <TextInput
          label={t('filter.search')}
          defaultValue={values.q}
          onBlur={(e) => onChange({ q: e.currentTarget.value.trim() })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange({ q: e.currentTarget.value.trim() });
          }}
          size="sm"
          data-testid="filter-q"
        />
        {select(
          'channel',
          'filter.channel',
          CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) })),
        )}
        {select(
          'status',
          'filter.status',
          CONVERSATION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
        )}
        {select('language', 'filter.language', [
          { value: 'es', label: t('language.es') },
          { value: 'en', label: t('language.en') },
        ])}
        <TextInput
          label={t('filter.intent')}
          defaultValue={values.intent}
          onBlur={(e) => onChange({ intent: e.currentTarget.value.trim() })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange({ intent: e.currentTarget.value.trim() });
          }}
          size="sm"
          data-testid="filter-intent"
        />
        <TextInput
          type="date"
          label={t('filter.from')}
          value={values.from}
          onChange={(e) => onChange({ from: e.currentTarget.value })}
          size="sm"
          data-testid="filter-from"
        />
        <TextInput
          type="date"
          label={t('filter.to')}
          value={values.to}
          onChange={(e) => onChange({ to: e.currentTarget.value })}
          size="sm"
          data-testid="filter-to"
        />
      </SimpleGrid>
      {active && (
        <Group mb="sm">
          <Button variant="subtle" size="xs" onClick={onClear}>
            {t('filter.clear')}
          </Button>
        </Group>
      )}
    </form>
  );
}
