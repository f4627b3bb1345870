/**
 * /console/studio (admin): the draft's intents and flows, "Try it", publish (with its report),
 * versions with diff and rollback, CSV import and the YAML download of the live catalogue.
 */
import {
  Alert,
  Button,
  Grid,
  Group,
  Modal,
  NavLink,
  Paper,
  ScrollArea,
  Stack,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { getDraft, publish, type Issue, type Report } from './api';
import { FlowEditor } from './FlowEditor';
import { ImportCsvModal } from './ImportCsvModal';
import { IntentEditor, IssueList } from './IntentEditor';
import { ReportView } from './ReportView';
import { TryItPane } from './TryItPane';
import { useStudioT } from './texts';
import { VersionsPanel } from './VersionsPanel';

const NEW = '\u0000new';

function DefinitionList({
  names,
  selected,
  onSelect,
  newLabel,
  testId,
}: {
  names: string[];
  selected: string | null;
  onSelect(name: string): void;
  newLabel: string;
  testId: string;
}) {
  const t = useStudioT();
  const [filter, setFilter] = useState('');
  const shown = names.filter((n) => n.includes(filter.trim().toLowerCase()));
  return (
    <Stack gap={4}>
      <Button size="xs" variant="light" onClick={() => onSelect(NEW)} data-testid={`${testId}-new`}>
        {newLabel}
      </Button>
      <TextInput
        size="xs"
        placeholder={t('search')}
        aria-label={t('search')}
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value)}
      />
      <ScrollArea.Autosize mah={420} type="auto">
        {shown.map((n) => (
          <NavLink
            key={n}
            label={n}
            active={n === selected}
            onClick={() => onSelect(n)}
            py={4}
            data-testid={`${testId}-item`}
            data-name={n}
          />
        ))}
      </ScrollArea.Autosize>
    </Stack>
  );
}

export default function StudioPage() {
  const t = useStudioT();
  const queryClient = useQueryClient();
  const draft = useQuery({ queryKey: ['studio', 'draft'], queryFn: getDraft });
  const [tab, setTab] = useState<string | null>('intents');
  const [intent, setIntent] = useState<string | null>(null);
  const [flow, setFlow] = useState<string | null>(null);
  const [csvOpen, setCsvOpen] = useState(false);
  const [report, setReport] = useState<{ version: number; report: Report } | null>(null);
  const [refused, setRefused] = useState<Issue[]>([]);
  const doPublish = useMutation({
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

  if (draft.isPending) return <LoadingState rows={8} />;
  if (draft.isError) return <ErrorState error={draft.error} onRetry={() => void draft.refetch()} />;
  const d = draft.data;
  const selectedIntent =
    intent && intent !== NEW ? (d.intents.find((i) => i.name === intent) ?? null) : null;
  const selectedFlow = flow && flow !== NEW ? (d.flows.find((f) => f.name === flow) ?? null) : null;

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
      <Alert
        variant="light"
        color={d.changed ? 'yellow' : 'gray'}
        data-testid="draft-status"
        py={6}
      >
        {d.changed
          ? t('draftChanged', { revision: d.revision, version: d.baseVersion })
          : t('draftClean', { version: d.baseVersion })}
      </Alert>
      {(refused.length > 0 || d.problems.length > 0) && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('problems')}
          </Text>
          <IssueList issues={refused.length > 0 ? refused : d.problems} />
        </Stack>
      )}
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
                <Grid>
                  <Grid.Col span={{ base: 12, sm: 4 }}>
                    <DefinitionList
                      names={d.intents.map((i) => i.name)}
                      selected={intent}
                      onSelect={setIntent}
                      newLabel={t('newIntent')}
                      testId="intent-list"
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 8 }}>
                    {intent ? (
                      <IntentEditor
                        key={`${intent}:${d.revision}`}
                        intent={selectedIntent}
                        flows={d.flows.map((f) => f.name)}
                        onSaved={setIntent}
                      />
                    ) : (
                      <Text c="dimmed" size="sm">
                        {t('pickOne')}
                      </Text>
                    )}
                  </Grid.Col>
                </Grid>
              </Tabs.Panel>
              <Tabs.Panel value="flows">
                <Grid>
                  <Grid.Col span={{ base: 12, sm: 4 }}>
                    <DefinitionList
                      names={d.flows.map((f) => f.name)}
                      selected={flow}
                      onSelect={setFlow}
                      newLabel={t('newFlow')}
                      testId="flow-list"
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 8 }}>
                    {flow ? (
                      <FlowEditor
                        key={`${flow}:${d.revision}`}
                        flow={selectedFlow}
                        onSaved={setFlow}
                      />
                    ) : (
                      <Text c="dimmed" size="sm">
                        {t('pickOne')}
                      </Text>
                    )}
                  </Grid.Col>
                </Grid>
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
      <Modal
        opened={report !== null}
        onClose={() => setReport(null)}
        title={`${t('report')} · ${t('version')} ${report?.version ?? ''}`}
        size="lg"
      >
        {report && <ReportView report={report.report} />}
        <Group justify="flex-end" mt="sm">
          <Button onClick={() => setReport(null)} data-testid="report-close">
            {t('close')}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
