/**
 * /console/segments (marketer; viewer read-only): saved segments with live lead counts, a form
 * to create or edit one (filter fields + live count), delete after a confirmation, and links to
 * the pipeline table and the CSV export filtered by the segment.
 */
import { Alert, Button, Group, Modal, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useNarrow } from '../../components/use-narrow';
import { useCurrentUser } from '../../shell/current-user';
import {
  createSegment,
  deleteSegment,
  listSegments,
  updateSegment,
  type Segment,
  type SegmentInput,
} from './api';
import { SegmentForm } from './SegmentForm';
import { SegmentCards, SegmentTable } from './SegmentRows';
import { useSegmentsT } from './texts';

function DeleteSegmentModal({
  segment,
  deleting,
  onDelete,
  onClose,
}: {
  segment: Segment | null;
  deleting: boolean;
  onDelete(s: Segment): void;
  onClose(): void;
}) {
  const t = useSegmentsT();
  return (
    <Modal opened={segment !== null} onClose={onClose} title={t('deleteTitle')}>
      <Text mb="md" style={{ overflowWrap: 'anywhere' }}>
        {t('deleteConfirm', { name: segment?.name ?? '' })}
      </Text>
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onClose}>
          {t('cancel')}
        </Button>
        <Button color="red" loading={deleting} onClick={() => segment && onDelete(segment)}>
          {t('delete')}
        </Button>
      </Group>
    </Modal>
  );
}

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
  else {
    const rows = { items, editable, onEdit: open, onDelete: setDeleting };
    content = narrow ? <SegmentCards {...rows} /> : <SegmentTable {...rows} />;
  }

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
      <DeleteSegmentModal
        segment={deleting}
        deleting={remove.isPending}
        onDelete={(s) => remove.mutate(s)}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
