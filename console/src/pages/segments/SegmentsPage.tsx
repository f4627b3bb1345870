/**
 * /console/segments (marketer; viewer read-only): saved segments with live lead counts, a form
 * to create or edit one (filter fields + live count), delete after a confirmation, and links to
 * the pipeline table and the CSV export filtered by the segment.
 */
import { Alert, Badge, Button, Group, Modal, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { Truncated } from '../../components/truncated';
import { useNarrow } from '../../components/use-narrow';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import { useCurrentUser } from '../../shell/current-user';
import {
  createSegment,
  deleteSegment,
  listSegments,
  updateSegment,
  type Segment,
  type SegmentFilter,
  type SegmentInput,
} from './api';
import { SegmentForm } from './SegmentForm';
import { useSegmentsT, type SegmentsKey, type SegmentsT } from './texts';

type Tg = (key: MessageKey) => string;

/** Short, translated descriptions of a filter's criteria. */
export function criteriaOf(f: SegmentFilter, t: SegmentsT, tg: Tg): string[] {
  const out: string[] = [];
  const list = (xs: string[]) => xs.join(', ');
  if (f.tags?.length) out.push(`${t('tags')}: ${list(f.tags)}`);
  if (f.channels?.length)
    out.push(`${t('channels')}: ${list(f.channels.map((c) => tg(`channel.${c}` as MessageKey)))}`);
  if (f.language) out.push(`${t('language')}: ${t(`lang.${f.language}` as SegmentsKey)}`);
  if (f.consent) out.push(`${t('consent')}: ${t(`consent.${f.consent}` as SegmentsKey)}`);
  if (f.scoreMin !== undefined || f.scoreMax !== undefined)
    out.push(`${f.scoreMin ?? 0}–${f.scoreMax ?? 100} pts`);
  if (f.lastContactWithinDays)
    out.push(`${t('lastContactWithinDays')}: ${f.lastContactWithinDays}`);
  if (f.lastContactFrom) out.push(`${t('lastContactFrom')}: ${f.lastContactFrom.slice(0, 10)}`);
  if (f.lastContactTo) out.push(`${t('lastContactTo')}: ${f.lastContactTo.slice(0, 10)}`);
  if (f.hasOpenCase !== undefined) out.push(t(`hasOpenCase.${f.hasOpenCase}` as SegmentsKey));
  if (f.intents?.length) out.push(`${t('intents')}: ${list(f.intents)}`);
  if (f.statuses?.length)
    out.push(`${t('statuses')}: ${list(f.statuses.map((s) => t(`status.${s}` as SegmentsKey)))}`);
  return out.length ? out : [t('anyLead')];
}

const exportUrl = (id: string) => `/api/leads/export.csv?segment=${encodeURIComponent(id)}`;

function Criteria({ s }: { s: Segment }) {
  const t = useSegmentsT();
  const { t: tg } = useI18n();
  return (
    <Group gap={4} wrap="wrap">
      {criteriaOf(s.filter, t, tg).map((c) => (
        <Badge key={c} size="sm" variant="light" color="gray" c="gray.8" tt="none" maw="100%">
          <Truncated size="xs">{c}</Truncated>
        </Badge>
      ))}
    </Group>
  );
}

function Actions({
  s,
  editable,
  onEdit,
  onDelete,
}: {
  s: Segment;
  editable: boolean;
  onEdit(s: Segment): void;
  onDelete(s: Segment): void;
}) {
  const t = useSegmentsT();
  return (
    <Group gap={4} wrap="wrap">
      <Button
        size="compact-xs"
        variant="default"
        component={Link}
        to={`/console/leads?view=table&segment=${s.id}`}
      >
        {t('viewLeads')}
      </Button>
      {editable && (
        <>
          <Button size="compact-xs" variant="default" component="a" href={exportUrl(s.id)}>
            {t('exportCsv')}
          </Button>
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => onEdit(s)}
            aria-label={`${t('edit')}: ${s.name}`}
          >
            {t('edit')}
          </Button>
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            onClick={() => onDelete(s)}
            aria-label={`${t('delete')}: ${s.name}`}
          >
            {t('delete')}
          </Button>
        </>
      )}
    </Group>
  );
}

const Count = ({ n }: { n: number }) => (
  <Badge
    size="lg"
    variant="filled"
    color="blue"
    style={{ flexShrink: 0 }}
    data-testid="segment-count"
  >
    {n.toLocaleString()}
  </Badge>
);

export default function SegmentsPage() {
  const t = useSegmentsT();
  const user = useCurrentUser();
  const editable = user.role === 'admin' || user.role === 'marketer';
  const narrow = useNarrow();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['segments', 'list'], queryFn: listSegments });
  const [editing, setEditing] = useState<Segment | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Segment | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['segments'] });
  const save = useMutation({
    mutationFn: (input: SegmentInput) =>
      editing && editing !== 'new' ? updateSegment(editing.id, input) : createSegment(input),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('saved') });
      setEditing(null);
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (s: Segment) => deleteSegment(s.id),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('deleted') });
      setDeleting(null);
      void refresh();
    },
    onError: (err) => notifications.show({ color: 'red', message: err.message }),
  });
  const open = (s: Segment | 'new') => {
    save.reset();
    setEditing(s);
  };
  const newButton = editable && <Button onClick={() => open('new')}>{t('new')}</Button>;
  const items = query.data?.items ?? [];

  let content;
  if (query.isPending) content = <LoadingState rows={4} />;
  else if (query.isError)
    content = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (items.length === 0)
    content = (
      <EmptyState title={t('empty')} hint={t('emptyHint')} action={newButton || undefined} />
    );
  else if (narrow)
    content = (
      <Stack gap="sm">
        {items.map((s) => (
          <Paper key={s.id} withBorder p="sm" data-testid="segment-row">
            <Stack gap={6}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Truncated fw={600}>{s.name}</Truncated>
                <Count n={s.count} />
              </Group>
              {s.description && (
                <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {s.description}
                </Text>
              )}
              <Criteria s={s} />
              <Actions s={s} editable={editable} onEdit={open} onDelete={setDeleting} />
            </Stack>
          </Paper>
        ))}
      </Stack>
    );
  else
    content = (
      <Table striped highlightOnHover layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="24%">{t('name')}</Table.Th>
            <Table.Th w={90} ta="right">
              {t('leads')}
            </Table.Th>
            <Table.Th>{t('criteria')}</Table.Th>
            <Table.Th w={editable ? 340 : 110}>{t('actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((s) => (
            <Table.Tr key={s.id} data-testid="segment-row">
              <Table.Td>
                <Truncated fw={600}>{s.name}</Truncated>
                {s.description && (
                  <Truncated size="xs" c="dimmed">
                    {s.description}
                  </Truncated>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Count n={s.count} />
              </Table.Td>
              <Table.Td>
                <Criteria s={s} />
              </Table.Td>
              <Table.Td>
                <Actions s={s} editable={editable} onEdit={open} onDelete={setDeleting} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );

  return (
    <>
      <PageHeader title={t('title')}>{items.length > 0 && newButton}</PageHeader>
      <Text size="sm" c="dimmed" mb="md">
        {t('intro')}
      </Text>
      {!editable && (
        <Alert mb="md" color="gray">
          {t('readOnly')}
        </Alert>
      )}
      {content}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('newTitle') : t('editTitle')}
        size="xl"
        fullScreen={narrow}
      >
        {editing !== null && (
          <SegmentForm
            segment={editing === 'new' ? undefined : editing}
            saving={save.isPending}
            error={save.error?.message}
            onSave={(input) => save.mutate(input)}
            onCancel={() => setEditing(null)}
          />
        )}
      </Modal>
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title={t('deleteTitle')}>
        <Text mb="md" style={{ overflowWrap: 'anywhere' }}>
          {t('deleteConfirm', { name: deleting?.name ?? '' })}
        </Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={() => setDeleting(null)}>
            {t('cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() => deleting && remove.mutate(deleting)}
          >
            {t('delete')}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
