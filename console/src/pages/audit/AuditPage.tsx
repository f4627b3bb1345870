/** /console/audit (admin): who changed what, newest first, filtered from the URL. */
import { Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { call } from '../../api/client';
import { PageHeader } from '../../components/page-header';
import { Pager } from '../../components/pager';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useNarrow } from '../../components/use-narrow';
import { useUrlFilters } from '../../components/url-filters';
import { useI18n } from '../../i18n/i18n';
import { AUDIT_FILTERS, AuditFilters } from './AuditFilters';
import { AuditCards, AuditTable } from './AuditRows';

const PAGE_SIZE = 50;

export default function AuditPage() {
  const { t } = useI18n();
  const filters = useUrlFilters(AUDIT_FILTERS);
  const { values, offset } = filters;
  const query = useQuery({
    queryKey: ['audit', values, offset],
    queryFn: () => call('GET /api/audit', { query: { ...values, limit: PAGE_SIZE, offset } }),
    placeholderData: keepPreviousData,
  });
  const narrow = useNarrow();

  let content;
  if (query.isPending) content = <LoadingState rows={8} />;
  else if (query.isError)
    content = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.items.length === 0)
    content = filters.active ? (
      <EmptyState title={t('audit.emptyFiltered')} />
    ) : (
      <EmptyState title={t('audit.empty')} hint={t('audit.emptyHint')} />
    );
  else
    content = (
      <>
        {narrow ? <AuditCards items={query.data.items} /> : <AuditTable items={query.data.items} />}
        <Pager
          offset={offset}
          limit={PAGE_SIZE}
          total={query.data.total}
          onOffset={(o) => filters.set({ offset: o })}
        />
      </>
    );

  return (
    <>
      <PageHeader title={t('audit.title')}>
        {query.data && (
          <Text size="sm" c="dimmed">
            {query.data.total === 1
              ? t('audit.totalOne')
              : t('audit.total', { count: query.data.total })}
          </Text>
        )}
      </PageHeader>
      <AuditFilters filters={filters} />
      {content}
    </>
  );
}
