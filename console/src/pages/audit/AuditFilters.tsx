/** The audit log's filters (actor, action, target, dates), kept in the URL, and "clear filters". */
import { SimpleGrid, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { FilterPanel } from '../../components/filter-panel';
import type { useUrlFilters } from '../../components/url-filters';
import { useI18n } from '../../i18n/i18n';

export const AUDIT_FILTERS = ['actor', 'action', 'target', 'from', 'to'] as const;
type AuditFilterState = ReturnType<typeof useUrlFilters<(typeof AUDIT_FILTERS)[number]>>;

export function AuditFilters({ filters }: { filters: AuditFilterState }) {
  const { t } = useI18n();
  // The text inputs are uncontrolled (applied on blur/Enter): a new key empties them on "clear".
  const [formKey, setFormKey] = useState(0);
  const { values } = filters;
  const text = (key: 'actor' | 'action' | 'target', label: string, placeholder: string) => (
    <TextInput
      label={label}
      placeholder={placeholder}
      defaultValue={values[key]}
      size="sm"
      onBlur={(e) => filters.set({ [key]: e.currentTarget.value.trim() })}
      onKeyDown={(e) => {
        if (e.key === 'Enter') filters.set({ [key]: e.currentTarget.value.trim() });
      }}
      data-testid={`audit-filter-${key}`}
    />
  );
  return (
    <>
      <FilterPanel activeCount={Object.values(values).filter(Boolean).length}>
        <form
          role="search"
          aria-label={t('filter.title')}
          onSubmit={(e) => e.preventDefault()}
          key={formKey}
        >
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" mb="md">
            {text('actor', t('audit.actor'), t('audit.actorPlaceholder'))}
            {text('action', t('audit.action'), 'user.update')}
            {text('target', t('audit.target'), 'user:…')}
            <TextInput
              type="date"
              label={t('filter.from')}
              value={values.from}
              size="sm"
              onChange={(e) => filters.set({ from: e.currentTarget.value })}
            />
            <TextInput
              type="date"
              label={t('filter.to')}
              value={values.to}
              size="sm"
              onChange={(e) => filters.set({ to: e.currentTarget.value })}
            />
          </SimpleGrid>
        </form>
      </FilterPanel>
      {filters.active && (
        <Text
          component="button"
          type="button"
          size="xs"
          c="blue.8"
          mb="sm"
          style={{ background: 'none', border: 0, cursor: 'pointer', padding: 0 }}
          onClick={() => {
            filters.clear();
            setFormKey((k) => k + 1);
          }}
        >
          {t('filter.clear')}
        </Text>
      )}
    </>
  );
}
