/**
 * /console/studio (admin): the draft's intents and flows, "Try it", publish (with its report),
 * versions with diff and rollback, CSV import and the YAML download of the live catalogue.
 */
import { Button, Grid, Paper, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { getDraft, publish, type Issue, type Report } from './api';
import { FlowsPanel, IntentsPanel } from './DefinitionPanels';
import { DraftStatus } from './DraftStatus';
import { ImportCsvModal } from './ImportCsvModal';
import { PublishReportModal } from './PublishReportModal';
import { TryItPane } from './TryItPane';
import { useStudioT } from './texts';
import { VersionsPanel } from './VersionsPanel';

/** Publish the draft: on success the report is shown, on refusal the reasons are. */
function usePublish() {
  const t = useStudioT();
  const queryClient = useQueryClient();
  const [report, setReport] = useState<{ version: number; report: Report } | null>(null);
  const [refused, setRefused] = useState<Issue[]>([]);
  const mutation = useMutation({
    mutationFn: publish,
    onSuccess: (r) => {
      setRefused([]);
      setReport(r);
      notifications.show({ color: 'teal', message: t('published', { version: r.version }) });
      void queryClient.invalidateQueries({ queryKey: ['studio'] });
    },
    onError: (err) =>
      setRefused(
        err instanceof ApiError && err.details ? err.details : [{ path: '', message: String(err) }],
      ),
  });
  return { mutation, report, closeReport: () => setReport(null), refused };
}

export default function StudioPage() {
  const t = useStudioT();
  const draft = useQuery({ queryKey: ['studio', 'draft'], queryFn: getDraft });
  const [tab, setTab] = useState<string | null>('intents');
  const [intent, setIntent] = useState<string | null>(null);
  const [flow, setFlow] = useState<string | null>(null);
  const [csvOpen, setCsvOpen] = useState(false);
  const publishing = usePublish();
  const doPublish = publishing.mutation;

  if (draft.isPending) return <LoadingState rows={8} />;
  if (draft.isError) return <ErrorState error={draft.error} onRetry={() => void draft.refetch()} />;
  const d = draft.data;

  return (
    <Stack gap="sm">
      <PageHeader title={t('title')}>
        <Button component={Link} to="/studio/unanswered" variant="default" size="sm">
          {t('unanswered')}
        </Button>
        <Button
          variant="default"
          size="sm"
          onClick={() => setCsvOpen(true)}
          data-testid="studio-import"
        >
          {t('importCsv')}
        </Button>
        <Button component="a" href="/api/catalogue/export" variant="default" size="sm">
          {t('export')}
        </Button>
        <Button
          size="sm"
          onClick={() => doPublish.mutate()}
          loading={doPublish.isPending}
          data-testid="studio-publish"
        >
          {t('publish')}
        </Button>
      </PageHeader>
      <Text size="sm" c="dimmed">
        {t('intro')}
      </Text>
      <DraftStatus draft={d} refused={publishing.refused} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Paper withBorder radius="md" p="sm">
            <Tabs value={tab} onChange={setTab} keepMounted={false}>
              <Tabs.List mb="sm">
                <Tabs.Tab value="intents" data-testid="tab-intents">
                  {t('intents')} ({d.intents.length})
                </Tabs.Tab>
                <Tabs.Tab value="flows" data-testid="tab-flows">
                  {t('flows')} ({d.flows.length})
                </Tabs.Tab>
                <Tabs.Tab value="versions" data-testid="tab-versions">
                  {t('versions')}
                </Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="intents">
                <IntentsPanel draft={d} selected={intent} onSelect={setIntent} />
              </Tabs.Panel>
              <Tabs.Panel value="flows">
                <FlowsPanel draft={d} selected={flow} onSelect={setFlow} />
              </Tabs.Panel>
              <Tabs.Panel value="versions">
                <VersionsPanel />
              </Tabs.Panel>
            </Tabs>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Paper withBorder radius="md" p="sm">
            <TryItPane />
          </Paper>
        </Grid.Col>
      </Grid>
      <ImportCsvModal opened={csvOpen} onClose={() => setCsvOpen(false)} />
      <PublishReportModal published={publishing.report} onClose={publishing.closeReport} />
    </Stack>
  );
}
