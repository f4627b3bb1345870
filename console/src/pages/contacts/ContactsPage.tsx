/**
 * /console/contacts: customers, newest updated first; search by name, email or phone; "Import CSV"
 * (marketers, admins) opens the import page.
 */
import {
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ACCESS } from '../../../../src/kernel/roles';
import { CHANNELS, type ContactSummary } from '../../api/types';
import { roleAllows } from '../../auth/session';
import { ChannelBadge } from '../../components/badges';
import { FilterPanel } from '../../components/filter-panel';
import { PageHeader } from '../../components/page-header';
import { Pager } from '../../components/pager';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { Truncated } from '../../components/truncated';
import { useUrlFilters } from '../../components/url-filters';
import { useI18n } from '../../i18n/i18n';
import { useCurrentUser } from '../../shell/current-user';
import { CONTACT_PAGE_SIZE, listContacts } from './api';
import { useImportT } from './import-texts';

const FILTERS = ['q', 'channel', 'tag'] as const;

function ContactRow({ c }: { c: ContactSummary }) {
  const { t, formatDateTime } = useI18n();
  const name = c.name || t('conversations.unnamed');
  return (
    <Table.Tr data-testid="contact-row" data-contact-id={c.id}>
      <Table.Td maw={0} w="35%">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text
            component={Link}
            to={`/contacts/${c.id}`}
            fw={600}
            size="sm"
            truncate="end"
            title={name}
            c="blue.8"
          >
            {name}
          </Text>
          {c.emails[0] && (
            <Truncated size="xs" c="dimmed" hiddenFrom="md">
              {c.emails[0]}
            </Truncated>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {c.channels.map((ch) => (
            <ChannelBadge key={ch} channel={ch} />
          ))}
        </Group>
      </Table.Td>
      <Table.Td visibleFrom="md" maw={220}>
        <Truncated size="sm">{c.emails[0] ?? t('state.none')}</Truncated>
      </Table.Td>
      <Table.Td visibleFrom="md">
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {c.phones[0] ?? t('state.none')}
        </Text>
      </Table.Td>
      <Table.Td visibleFrom="lg">
        <Group gap={4}>
          {c.tags.slice(0, 3).map((tag) => (
            <Badge key={tag} size="xs" variant="light" tt="none" maw={120} title={tag}>
              {tag}
            </Badge>
          ))}
          {c.tags.length > 3 && (
            <Text size="xs" c="dimmed">
              +{c.tags.length - 3}
            </Text>
          )}
        </Group>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(c.updatedAt)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

export default function ContactsPage() {
  const { t } = useI18n();
  const ti = useImportT();
  const canImport = roleAllows(useCurrentUser().role, ACCESS.contacts.write);
  const filters = useUrlFilters(FILTERS);
  const [formKey, setFormKey] = useState(0);
  const { values, offset } = filters;
  const query = useQuery({
    queryKey: ['contacts', 'list', values, offset],
    queryFn: () => listContacts({ ...values, limit: CONTACT_PAGE_SIZE, offset }),
    placeholderData: keepPreviousData,
  });
  const onText = (key: 'q' | 'tag') => ({
    onBlur: (e: React.FocusEvent<HTMLInputElement>) =>
      filters.set({ [key]: e.currentTarget.value.trim() }),
    onKeyDown: (e: React.KeyboardEvent<HTMLInputElement>) => {
      if (e.key === 'Enter') filters.set({ [key]: e.currentTarget.value.trim() });
    },
  });

  let content;
  if (query.isPending) content = <LoadingState rows={8} />;
  else if (query.isError)
    content = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.items.length === 0)
    content = filters.active ? (
      <EmptyState title={t('contacts.emptyFiltered')} />
    ) : (
      <EmptyState title={t('contacts.empty')} hint={t('contacts.emptyHint')} />
    );
  else
    content = (
      <>
        <Paper withBorder radius="md" className="table-scroll">
          <Table verticalSpacing="sm" highlightOnHover data-testid="contact-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('contacts.name')}</Table.Th>
                <Table.Th>{t('contacts.identities')}</Table.Th>
                <Table.Th visibleFrom="md">{t('contacts.email')}</Table.Th>
                <Table.Th visibleFrom="md">{t('contacts.phone')}</Table.Th>
                <Table.Th visibleFrom="lg">{t('contacts.tags')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('contacts.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((c) => (
                <ContactRow key={c.id} c={c} />
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Pager
          offset={offset}
          limit={CONTACT_PAGE_SIZE}
          total={query.data.total}
          onOffset={(o) => filters.set({ offset: o })}
        />
      </>
    );

  return (
    <>
      <PageHeader title={t('contacts.title')}>
        {canImport && (
          <Button
            component={Link}
            to="/contacts/import"
            variant="default"
            data-testid="import-open"
          >
            {ti('open')}
          </Button>
        )}
        {query.data && (
          <Text size="sm" c="dimmed">
            {query.data.total === 1
              ? t('contacts.totalOne')
              : t('contacts.total', { count: query.data.total })}
          </Text>
        )}
      </PageHeader>
      <FilterPanel activeCount={Object.values(values).filter(Boolean).length}>
        <form
          role="search"
          aria-label={t('filter.title')}
          onSubmit={(e) => e.preventDefault()}
          key={formKey}
        >
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" mb="md">
            <TextInput
              label={t('filter.search')}
              placeholder={t('contacts.searchPlaceholder')}
              defaultValue={values.q}
              size="sm"
              data-testid="contact-search"
              {...onText('q')}
            />
            <Select
              label={t('filter.channel')}
              placeholder={t('filter.any')}
              data={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
              value={values.channel || null}
              onChange={(v) => filters.set({ channel: v ?? '' })}
              clearable
              size="sm"
            />
            <TextInput
              label={t('contacts.tags')}
              defaultValue={values.tag}
              size="sm"
              {...onText('tag')}
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
      {content}
    </>
  );
}
