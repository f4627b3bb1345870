/**
 * /console/users (admin): list staff, create (an invitation by email, a temporary password, or a
 * typed one: NewUserModal), change role, disable/enable, set a temporary password (a new one
 * required at next sign-in), delete.
 */
import { Badge, Button, Group, Modal, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ROLES, type Role, type User } from '../../api/types';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { Truncated } from '../../components/truncated';
import { useNarrow } from '../../components/use-narrow';
import { useI18n } from '../../i18n/i18n';
import { useCurrentUser } from '../../shell/current-user';
import { createUser, deleteUser, listUsers, updateUser } from './api';
import { NewUserModal } from './NewUserModal';
import { useTemporaryPasswordT } from './password-texts';
import { TemporaryPasswordButton } from './TemporaryPasswordButton';

/** One account's controls, laid out as a table row (wide) or a card (phone). */
function UserEntry({
  u,
  onDelete,
  layout,
}: {
  u: User;
  onDelete(u: User): void;
  layout: 'row' | 'card';
}) {
  const { t, formatDate } = useI18n();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (patch: { role?: Role; disabled?: boolean }) => updateUser(u.id, patch),
    onSuccess: () => notifications.show({ color: 'teal', message: t('users.updated') }),
    onError: (err) =>
      notifications.show({
        color: 'red',
        message: err instanceof Error ? err.message : String(err),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const isMe = u.id === me.id;
  const tp = useTemporaryPasswordT();
  const who = (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Group gap={4} wrap="nowrap">
        <Truncated size="sm" fw={600}>
          {u.name}
        </Truncated>
        {isMe && (
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
            ({t('users.you')})
          </Text>
        )}
      </Group>
      <Truncated size="xs" c="dimmed">
        {u.email}
      </Truncated>
      {u.mustChangePassword && !u.disabled && (
        <Text size="xs" c="yellow.9" data-testid="user-must-change">
          {tp('mustChange')}
        </Text>
      )}
    </Stack>
  );
  const role = (
    <Select
      aria-label={t('users.changeRole', { name: u.name })}
      data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
      value={u.role}
      onChange={(v) => v && v !== u.role && update.mutate({ role: v as Role })}
      allowDeselect={false}
      size="xs"
      w={150}
      disabled={update.isPending}
      data-testid="user-role-select"
    />
  );
  const status = (
    <Badge
      color={u.disabled ? 'gray' : 'green'}
      c={u.disabled ? 'gray.9' : 'green.9'}
      variant="light"
      tt="none"
      style={{ flexShrink: 0 }}
      data-testid="user-status"
    >
      {u.disabled ? t('users.disabled') : t('users.active')}
    </Badge>
  );
  const buttons = (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      <Button
        size="compact-xs"
        variant="default"
        onClick={() => update.mutate({ disabled: !u.disabled })}
        disabled={isMe}
        data-testid="user-toggle"
      >
        {u.disabled ? t('users.enable') : t('users.disable')}
      </Button>
      <TemporaryPasswordButton u={u} disabled={isMe || u.disabled} />
      <Button
        size="compact-xs"
        color="red"
        variant="light"
        onClick={() => onDelete(u)}
        disabled={isMe}
        data-testid="user-delete"
      >
        {t('users.delete')}
      </Button>
    </Group>
  );
  if (layout === 'card') {
    return (
      <Paper withBorder p="sm" radius="md" data-testid="user-row" data-user-email={u.email}>
        <Stack gap="xs">
          <Group justify="space-between" wrap="nowrap" gap="xs">
            {who}
            {status}
          </Group>
          <Group justify="space-between" wrap="wrap" gap="xs">
            {role}
            {buttons}
          </Group>
        </Stack>
      </Paper>
    );
  }
  return (
    <Table.Tr data-testid="user-row" data-user-email={u.email}>
      <Table.Td maw={0} w="35%">
        {who}
      </Table.Td>
      <Table.Td>{role}</Table.Td>
      <Table.Td>{status}</Table.Td>
      <Table.Td visibleFrom="md">
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatDate(u.createdAt)}
        </Text>
      </Table.Td>
      <Table.Td>{buttons}</Table.Td>
    </Table.Tr>
  );
}

export default function UsersPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<User | null>(null);
  const query = useQuery({ queryKey: ['users'], queryFn: listUsers });
  const narrow = useNarrow();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });
  const remove = useMutation({
    mutationFn: (id: string) => deleteUser(id),
    onSuccess: () => {
      setDeleting(null);
      notifications.show({ color: 'teal', message: t('users.deleted') });
    },
    onError: (err) =>
      notifications.show({
        color: 'red',
        message: err instanceof Error ? err.message : String(err),
      }),
    onSettled: refresh,
  });

  const newButton = (
    <Button onClick={() => setCreating(true)} data-testid="new-user">
      {t('users.new')}
    </Button>
  );
  let content;
  if (query.isPending) content = <LoadingState rows={6} />;
  else if (query.isError)
    content = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.items.length === 0)
    content = (
      <EmptyState title={t('users.empty')} hint={t('users.emptyHint')} action={newButton} />
    );
  else if (narrow)
    content = (
      <Stack gap="xs" data-testid="user-table">
        {query.data.items.map((u) => (
          <UserEntry key={u.id} u={u} onDelete={setDeleting} layout="card" />
        ))}
      </Stack>
    );
  else
    content = (
      <Paper withBorder radius="md" className="table-scroll">
        <Table verticalSpacing="sm" data-testid="user-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('users.name')}</Table.Th>
              <Table.Th>{t('users.role')}</Table.Th>
              <Table.Th>{t('users.status')}</Table.Th>
              <Table.Th visibleFrom="md">{t('users.createdAt')}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t('users.actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {query.data.items.map((u) => (
              <UserEntry key={u.id} u={u} onDelete={setDeleting} layout="row" />
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    );

  return (
    <>
      <PageHeader title={t('users.title')}>{newButton}</PageHeader>
      {content}
      <NewUserModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreate={async (body) => {
          const created = await createUser(body);
          await refresh();
          return created;
        }}
      />
      <Modal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('users.delete')}
        centered
      >
        <Stack gap="sm">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {t('users.deleteConfirm', { name: deleting?.name ?? '' })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t('form.cancel')}
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => deleting && remove.mutate(deleting.id)}
              data-testid="user-delete-confirm"
            >
              {t('users.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
