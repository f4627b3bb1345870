/**
 * "Merge with…" on the customer page (marketers, agents, admins): find the other record of the
 * same person, see what the merge does (the details this customer will have, what moves here),
 * and confirm. The merge history's "Undo" (UndoMergeButton) puts a staff merge back.
 */
import { Alert, Badge, Button, Group, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ContactSummary, ContactView } from '../../api/types';
import { ChannelBadge } from '../../components/badges';
import { Truncated } from '../../components/truncated';
import { DialogButton } from '../../components/dialog-button';
import { listContacts, mergeContact, previewMerge, unmergeContact } from './api';
import { useContactEditT } from './edit-texts';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function Candidates({
  selfId,
  selected,
  onSelect,
}: {
  selfId: string;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const t = useContactEditT();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const found = useQuery({
    queryKey: ['contacts', 'merge-candidates', debounced],
    queryFn: () => listContacts({ q: debounced, limit: '8' }),
    enabled: debounced.length >= 2,
  });
  const items = (found.data?.items ?? []).filter((c) => c.id !== selfId);
  return (
    <Stack gap={6}>
      <TextInput
        label={t('mergeSearch')}
        placeholder={t('mergeSearchPlaceholder')}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        data-autofocus
        data-testid="merge-search"
      />
      {found.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('mergeNoResults')}
        </Text>
      )}
      <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        {items.map((c) => (
          <li key={c.id}>
            <Candidate c={c} active={c.id === selected} onSelect={onSelect} />
          </li>
        ))}
      </Stack>
    </Stack>
  );
}

function Candidate({
  c,
  active,
  onSelect,
}: {
  c: ContactSummary;
  active: boolean;
  onSelect: (id: string) => void;
}) {
  const t = useContactEditT();
  const name = c.name || t('unnamed');
  return (
    <UnstyledButton
      onClick={() => onSelect(c.id)}
      aria-pressed={active}
      aria-label={t('mergeSelect', { name })}
      data-testid="merge-candidate"
      p="xs"
      w="100%"
      style={{
        borderRadius: 6,
        border: `1px solid ${active ? 'var(--mantine-color-blue-5)' : 'var(--mantine-color-gray-3)'}`,
      }}
    >
      <Group gap="xs" wrap="nowrap">
        <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
          <Truncated size="sm" fw={500}>
            {name}
          </Truncated>
          <Truncated size="xs" c="dimmed">
            {[...c.emails, ...c.phones].join(' · ')}
          </Truncated>
        </Stack>
        <Group gap={4}>
          {c.channels.map((ch) => (
            <ChannelBadge key={ch} channel={ch} />
          ))}
        </Group>
      </Group>
    </UnstyledButton>
  );
}

function Preview({ selfId, otherId }: { selfId: string; otherId: string }) {
  const t = useContactEditT();
  const preview = useQuery({
    queryKey: ['contact', selfId, 'merge-preview', otherId],
    queryFn: () => previewMerge(selfId, otherId),
  });
  if (preview.isError) {
    return <Alert color="red">{t('mergeFailed', { message: errorText(preview.error) })}</Alert>;
  }
  const p = preview.data;
  if (!p) return null;
  return (
    <Stack gap={4} data-testid="merge-preview" aria-live="polite">
      <Text size="sm" fw={600}>
        {t('mergeAfter')}
      </Text>
      <Text size="sm">{p.result.name ?? t('unnamed')}</Text>
      <Truncated size="sm">{[...p.result.emails, ...p.result.phones].join(' · ')}</Truncated>
      <Group gap={4}>
        {p.result.channels.map((ch) => (
          <ChannelBadge key={ch} channel={ch} />
        ))}
        {p.result.tags.map((tag) => (
          <Badge key={tag} variant="light" tt="none" size="sm">
            {tag}
          </Badge>
        ))}
      </Group>
      <Text size="sm">{t('mergeMoves', { ...p.moves })}</Text>
      {p.nameKept && (
        <Text size="sm" c="orange.8">
          {t('mergeNameKept', { name: p.nameKept })}
        </Text>
      )}
    </Stack>
  );
}

function MergeForm({ contact, onClose }: { contact: ContactView['contact']; onClose: () => void }) {
  const t = useContactEditT();
  const queryClient = useQueryClient();
  const [other, setOther] = useState<string | null>(null);
  const merge = useMutation({
    mutationFn: () => mergeContact(contact.id, other!),
    onSuccess: (view) => {
      queryClient.setQueryData(['contact', contact.id], view);
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      notifications.show({ color: 'teal', message: t('merged') });
      onClose();
    },
  });
  return (
    <Stack gap="sm" data-testid="merge-dialog">
      <Text size="sm" c="dimmed">
        {t('mergeHint')}
      </Text>
      <Candidates selfId={contact.id} selected={other} onSelect={setOther} />
      {other && <Preview selfId={contact.id} otherId={other} />}
      {merge.isError && (
        <Alert color="red" role="alert">
          {t('mergeFailed', { message: errorText(merge.error) })}
        </Alert>
      )}
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onClose}>
          {t('cancel')}
        </Button>
        <Button
          color="orange"
          disabled={!other}
          loading={merge.isPending}
          onClick={() => merge.mutate()}
          data-testid="merge-confirm"
        >
          {t('mergeConfirm')}
        </Button>
      </Group>
    </Stack>
  );
}

export function MergeButton({ contact }: { contact: ContactView['contact'] }) {
  const t = useContactEditT();
  return (
    <DialogButton label={t('merge')} title={t('mergeTitle')} variant="default" testId="merge-open">
      {(close) => <MergeForm contact={contact} onClose={close} />}
    </DialogButton>
  );
}

/** "Undo" beside a staff merge in the merge history. */
export function UndoMergeButton({ contactId, mergedId }: { contactId: string; mergedId: string }) {
  const t = useContactEditT();
  const queryClient = useQueryClient();
  const undo = useMutation({
    mutationFn: () => unmergeContact(contactId, mergedId),
    onSuccess: (view) => {
      queryClient.setQueryData(['contact', contactId], view);
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      notifications.show({ color: 'teal', message: t('undone') });
    },
    onError: (err) =>
      notifications.show({ color: 'red', message: t('undoFailed', { message: errorText(err) }) }),
  });
  return (
    <Button
      size="compact-xs"
      variant="light"
      color="orange"
      loading={undo.isPending}
      onClick={() => undo.mutate()}
      aria-label={t('undoLabel', { id: mergedId })}
      data-testid="merge-undo"
    >
      {t('undo')}
    </Button>
  );
}
