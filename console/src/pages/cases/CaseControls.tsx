/**
 * Status, priority and assignee of a case (agents and admins; others see a read-only note) and
 * the internal notes with their form. The server decides (400s shown as they come).
 */
import {
  Alert,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ACCESS } from '../../../../src/kernel/roles';
import { roleAllows } from '../../auth/session';
import { useI18n } from '../../i18n/i18n';
import { useCurrentUser } from '../../shell/current-user';
import { listAssignees, patchCase } from './api';
import { useCasesT } from './texts';
import { CASE_PRIORITIES, CASE_STATUSES, type CaseDetail, type CasePatch } from './types';

export const canEditCases = (role: Parameters<typeof roleAllows>[0]) =>
  roleAllows(role, ACCESS.cases.write);

function useCaseUpdate(c: CaseDetail, success: string) {
  const queryClient = useQueryClient();
  const { t: tc } = useI18n();
  return useMutation({
    mutationFn: (patch: CasePatch) => patchCase(c.id, patch),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: success });
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      await queryClient.invalidateQueries({ queryKey: ['case', c.id] });
    },
    onError: (err) =>
      notifications.show({
        color: 'red',
        message: tc('conversation.actionFailed', {
          message: err instanceof Error ? err.message : String(err),
        }),
      }),
  });
}

export function CaseControls({ c }: { c: CaseDetail }) {
  const t = useCasesT();
  const user = useCurrentUser();
  const [status, setStatus] = useState(c.status);
  const [priority, setPriority] = useState(c.priority);
  const [assignee, setAssignee] = useState(c.assignee?.id ?? '');
  const assignees = useQuery({ queryKey: ['cases', 'assignees'], queryFn: listAssignees });
  const update = useCaseUpdate(c, t('saved'));
  if (!canEditCases(user.role)) {
    return (
      <Alert variant="light" color="gray" data-testid="case-read-only">
        {t('readOnly')}
      </Alert>
    );
  }
  const patch: CasePatch = {
    ...(status !== c.status ? { status } : {}),
    ...(priority !== c.priority ? { priority } : {}),
    ...(assignee !== (c.assignee?.id ?? '') ? { assignee: assignee || null } : {}),
  };
  const options = [
    { value: '', label: t('unassigned') },
    ...(assignees.data?.items ?? []).map((a) => ({ value: a.id, label: a.name ?? a.id })),
  ];
  if (c.assignee && !options.some((o) => o.value === c.assignee!.id)) {
    options.push({ value: c.assignee.id, label: c.assignee.name ?? c.assignee.id });
  }
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="case-controls">
      <Title order={2} size="h5" mb="xs" id="case-controls">
        {t('controls')}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (Object.keys(patch).length) update.mutate(patch);
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <Select
            label={t('status')}
            data={CASE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            value={status}
            onChange={(v) => v && setStatus(v as typeof status)}
            allowDeselect={false}
            data-testid="case-status-select"
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('priority')}
            data={CASE_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
            value={priority}
            onChange={(v) => v && setPriority(v as typeof priority)}
            allowDeselect={false}
            data-testid="case-priority-select"
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('assignee')}
            data={options}
            value={assignee}
            onChange={(v) => setAssignee(v ?? '')}
            allowDeselect={false}
            searchable
            data-testid="case-assignee-select"
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        {status === 'resolved' && c.status !== 'resolved' && (
          <Text size="xs" c="dimmed" mt="xs">
            {t('resolvedNote')}
          </Text>
        )}
        <Group justify="flex-end" mt="sm">
          <Button
            type="submit"
            loading={update.isPending}
            disabled={Object.keys(patch).length === 0}
            data-testid="case-save"
          >
            {t('save')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}

export function CaseNotes({ c }: { c: CaseDetail }) {
  const t = useCasesT();
  const { formatDateTime } = useI18n();
  const user = useCurrentUser();
  const [text, setText] = useState('');
  const update = useCaseUpdate(c, t('noteAdded'));
  const add = () => {
    const note = text.trim();
    if (note) update.mutate({ note }, { onSuccess: () => setText('') });
  };
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="case-notes">
      <Title order={2} size="h5" id="case-notes">
        {t('notes')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('notesHint')}
      </Text>
      <Stack gap="xs" data-testid="case-notes">
        {c.notes.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('noNotes')}
          </Text>
        )}
        {c.notes.map((n) => (
          <Paper key={n.id} bg="yellow.0" p="xs" radius="sm" data-testid="case-note">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {n.text}
            </Text>
            <Text size="xs" c="dimmed">
              {formatDateTime(n.at)}
              {n.by ? ` · ${n.by.name ?? n.by.id}` : ''}
            </Text>
          </Paper>
        ))}
        {canEditCases(user.role) && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              add();
            }}
          >
            <Textarea
              label={t('noteLabel')}
              autosize
              minRows={2}
              maxRows={6}
              maxLength={4000}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              data-testid="case-note-text"
            />
            <Group justify="flex-end" mt="xs">
              <Button
                type="submit"
                variant="light"
                loading={update.isPending}
                disabled={!text.trim()}
                data-testid="case-note-add"
              >
                {t('addNote')}
              </Button>
            </Group>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
