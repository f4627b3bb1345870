/**
 * /console/canned-replies: the shared replies (admins change them) and your own, per language;
 * add, edit and delete in a dialog. Inserted in the composer by typing `/`.
 */
import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CannedReplyView } from '../../../../src/features/canned-replies/schemas';
import { errorText } from '../../api/client';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useCurrentUser } from '../../shell/current-user';
import { createCanned, deleteCanned, listCanned, updateCanned } from './api';
import { useCannedT } from './texts';

type Draft = {
  id?: string;
  scope: 'shared' | 'personal';
  language: 'es' | 'en';
  shortcut: string;
  title: string;
  text: string;
};

function Editor({ draft, onClose }: { draft: Draft; onClose(): void }) {
  const t = useCannedT();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const [d, setD] = useState(draft);
  const save = useMutation({
    mutationFn: () =>
      d.id
        ? updateCanned(d.id, {
            language: d.language,
            shortcut: d.shortcut,
            title: d.title,
            text: d.text,
          })
        : createCanned(d),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('saved') });
      void queryClient.invalidateQueries({ queryKey: ['canned-replies'] });
      onClose();
    },
    onError: (err) =>
      notifications.show({ color: 'red', message: t('failed', { message: errorText(err) }) }),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        {!d.id && user.role === 'admin' && (
          <SegmentedControl
            aria-label={t('scope')}
            value={d.scope}
            onChange={(v) => setD({ ...d, scope: v as Draft['scope'] })}
            data={[
              { value: 'personal', label: t('scope.personal') },
              { value: 'shared', label: t('scope.shared') },
            ]}
          />
        )}
        <Select
          label={t('language')}
          value={d.language}
          onChange={(v) => setD({ ...d, language: (v as Draft['language']) ?? 'es' })}
          data={[
            { value: 'es', label: 'Español' },
            { value: 'en', label: 'English' },
          ]}
          allowDeselect={false}
          data-testid="canned-language"
        />
        <TextInput
          label={t('shortcut')}
          description={t('shortcutHelp')}
          required
          maxLength={40}
          leftSection="/"
          value={d.shortcut}
          onChange={(e) => setD({ ...d, shortcut: e.currentTarget.value })}
          data-testid="canned-shortcut"
        />
        <TextInput
          label={t('titleLabel')}
          required
          maxLength={80}
          value={d.title}
          onChange={(e) => setD({ ...d, title: e.currentTarget.value })}
          data-testid="canned-title"
        />
        <Textarea
          label={t('text')}
          description={t('textHelp')}
          required
          autosize
          minRows={3}
          maxRows={10}
          maxLength={4000}
          value={d.text}
          onChange={(e) => setD({ ...d, text: e.currentTarget.value })}
          data-testid="canned-text"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="canned-save">
            {t('save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Row({ r, onEdit }: { r: CannedReplyView; onEdit(): void }) {
  const t = useCannedT();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteCanned(r.id),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('deleted') });
      void queryClient.invalidateQueries({ queryKey: ['canned-replies'] });
    },
    onError: (err) =>
      notifications.show({ color: 'red', message: t('failed', { message: errorText(err) }) }),
  });
  return (
    <Paper withBorder p="sm" radius="md" data-testid="canned-row">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap={6} wrap="wrap">
          <Text fw={600}>/{r.shortcut}</Text>
          <Text>{r.title}</Text>
          <Badge variant="light" color="gray">
            {r.language.toUpperCase()}
          </Badge>
          <Badge variant="light" color={r.scope === 'shared' ? 'blue' : 'grape'}>
            {t(`scope.${r.scope}`)}
          </Badge>
        </Group>
        {r.editable ? (
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={onEdit}>
              {t('edit')}
            </Button>
            {asking ? (
              <>
                <Text size="sm">{t('deleteConfirm', { title: r.title })}</Text>
                <Button
                  size="xs"
                  color="red"
                  onClick={() => remove.mutate()}
                  loading={remove.isPending}
                >
                  {t('delete')}
                </Button>
                <Button size="xs" variant="default" onClick={() => setAsking(false)}>
                  {t('cancel')}
                </Button>
              </>
            ) : (
              <Button size="xs" variant="subtle" color="red" onClick={() => setAsking(true)}>
                {t('delete')}
              </Button>
            )}
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            {t('readOnly')}
          </Text>
        )}
      </Group>
      <Text size="sm" mt={6} style={{ whiteSpace: 'pre-wrap' }}>
        {r.text}
      </Text>
    </Paper>
  );
}

export default function CannedRepliesPage() {
  const t = useCannedT();
  const [q, setQ] = useState('');
  const [language, setLanguage] = useState<string>('all');
  const [editing, setEditing] = useState<Draft | null>(null);
  const query = useQuery({
    queryKey: ['canned-replies', 'page', q, language],
    queryFn: () =>
      listCanned({ q: q.trim() || undefined, language: language === 'all' ? undefined : language }),
  });
  const blank: Draft = { scope: 'personal', language: 'es', shortcut: '', title: '', text: '' };
  return (
    <Stack gap="sm">
      <PageHeader title={t('title')}>
        <Button onClick={() => setEditing(blank)} data-testid="canned-add">
          {t('add')}
        </Button>
      </PageHeader>
      <Text size="sm" c="dimmed">
        {t('intro')}
      </Text>
      <Group gap="sm" wrap="wrap">
        <TextInput
          aria-label={t('search')}
          placeholder={t('search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          style={{ flex: '1 1 200px' }}
        />
        <SegmentedControl
          aria-label={t('language')}
          value={language}
          onChange={setLanguage}
          data={[
            { value: 'all', label: t('all') },
            { value: 'es', label: 'ES' },
            { value: 'en', label: 'EN' },
          ]}
        />
      </Group>
      {query.isPending ? (
        <LoadingState />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <EmptyState title={t('empty')} hint={t('emptyHint')} />
      ) : (
        query.data.items.map((r) => (
          <Row
            key={r.id}
            r={r}
            onEdit={() =>
              setEditing({
                id: r.id,
                scope: r.scope,
                language: r.language,
                shortcut: r.shortcut,
                title: r.title,
                text: r.text,
              })
            }
          />
        ))
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.id ? t('edit') : t('add')}
        size="lg"
      >
        {editing && <Editor draft={editing} onClose={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
