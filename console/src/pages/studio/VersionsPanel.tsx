/** Published versions, newest first: what each changed, and rolling back to one. */
import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { ErrorState, LoadingState } from '../../components/states';
import { listVersions, rollback, versionDiff, type VersionItem } from './api';
import { useStudioT } from './texts';

function Diff({ version }: { version: number }) {
  const t = useStudioT();
  const diff = useQuery({
    queryKey: ['studio', 'diff', version],
    queryFn: () => versionDiff(version),
  });
  if (!diff.data) return <LoadingState rows={2} />;
  const d = diff.data;
  const row = (label: string, names: string[]) =>
    names.length > 0 && (
      <Text size="xs">
        <b>{label}:</b> {names.join(', ')}
      </Text>
    );
  return (
    <Stack gap={2} data-testid="version-diff">
      {row(
        `${t('added')} (${t('intents')})`,
        d.intents.added.map((i) => i.name),
      )}
      {row(
        `${t('removed')} (${t('intents')})`,
        d.intents.removed.map((i) => i.name),
      )}
      {row(
        `${t('changed')} (${t('intents')})`,
        d.intents.changed.map((i) => i.name),
      )}
      {row(`${t('added')} (${t('flows')})`, d.flows.added)}
      {row(`${t('removed')} (${t('flows')})`, d.flows.removed)}
      {row(
        `${t('changed')} (${t('flows')})`,
        d.flows.changed.map((f) => f.name),
      )}
    </Stack>
  );
}

function VersionRow({ v, live }: { v: VersionItem; live: boolean }) {
  const t = useStudioT();
  const { formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const back = useMutation({
    mutationFn: () => rollback(v.version),
    onSuccess: (r) => {
      notifications.show({
        color: 'teal',
        message: t('rolledBackTo', { version: v.version, newVersion: r.version }),
      });
      void queryClient.invalidateQueries({ queryKey: ['studio'] });
    },
  });
  return (
    <Paper withBorder p="xs" radius="md" data-testid="version-row" data-version={v.version}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Group gap={6}>
            <Text fw={600}>
              {t('version')} {v.version}
            </Text>
            {live && (
              <Badge size="sm" color="teal" tt="none">
                {t('live')}
              </Badge>
            )}
            {v.summary.rolledBackFrom && (
              <Badge size="sm" variant="light" tt="none">
                {t('rolledBack', { version: v.summary.rolledBackFrom })}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {formatDateTime(v.publishedAt)} · {v.publishedByName ?? v.publishedBy}
          </Text>
          <Text size="xs">
            {t('summaryText', {
              intents: v.summary.intents,
              flows: v.summary.flows,
              es: v.summary.phrases.es,
              en: v.summary.phrases.en,
            })}
          </Text>
        </Stack>
        <Group gap={4}>
          <Button size="compact-xs" variant="default" onClick={() => setOpen(!open)}>
            {t('diff')}
          </Button>
          {!live && (
            <Button
              size="compact-xs"
              variant="light"
              loading={back.isPending}
              onClick={() =>
                window.confirm(t('confirmRollback', { version: v.version })) && back.mutate()
              }
              data-testid="version-rollback"
            >
              {t('rollback')}
            </Button>
          )}
        </Group>
      </Group>
      {open && <Diff version={v.version} />}
    </Paper>
  );
}

export function VersionsPanel() {
  const versions = useQuery({ queryKey: ['studio', 'versions'], queryFn: listVersions });
  if (versions.isPending) return <LoadingState rows={4} />;
  if (versions.isError)
    return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;
  return (
    <Stack gap="xs" data-testid="versions">
      {versions.data.map((v, i) => (
        <VersionRow key={v.version} v={v} live={i === 0} />
      ))}
    </Stack>
  );
}
