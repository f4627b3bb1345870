/**
 * /console/teams (admin): the automatic assignment's setup — the per-agent capacity, who is
 * available now (live), and the teams with their members and routing rules (language, intent,
 * flow → team), created, edited and deleted in a dialog. Every change is the server's audited
 * route (src/features/assignment/routes.ts).
 */
import { Badge, Button, Group, Modal, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { AgentView, TeamView } from '../../../../src/features/assignment/schemas';
import { PageHeader } from '../../components/page-header';
import { useNarrow } from '../../components/use-narrow';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import {
  AGENTS_KEY,
  SETTINGS_KEY,
  TEAMS_KEY,
  deleteTeam,
  getAgents,
  getAssignmentSettings,
  getTeams,
  setAgentCapacity,
  setCapacity,
} from './api';
import { TeamForm } from './TeamForm';
import { errorText } from '../../api/client';
import { useTeamsT } from './teams-texts';

function CapacityForm() {
  const t = useTeamsT();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: getAssignmentSettings });
  const [value, setValue] = useState<number | string>('');
  useEffect(() => {
    if (settings.data) setValue(settings.data.capacity);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () => setCapacity(Number(value)),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('capacitySaved') });
      void queryClient.invalidateQueries({ queryKey: SETTINGS_KEY });
      void queryClient.invalidateQueries({ queryKey: AGENTS_KEY });
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
      <Group align="flex-end" gap="sm" wrap="wrap">
        <NumberInput
          label={t('capacityLabel')}
          description={t('capacityHelp')}
          min={1}
          max={100}
          allowDecimal={false}
          required
          value={value}
          onChange={setValue}
          disabled={!settings.data}
          style={{ flex: '1 1 240px', maxWidth: 420 }}
          data-testid="capacity"
        />
        <Button type="submit" loading={save.isPending} data-testid="capacity-save">
          {t('capacitySave')}
        </Button>
      </Group>
    </form>
  );
}

/** An agent's own capacity: empty = the install's; saved on its button (admin, audited). */
function AgentCapacity({ agent, fallback }: { agent: AgentView; fallback: number }) {
  const t = useTeamsT();
  const queryClient = useQueryClient();
  const stored = agent.capacity ?? '';
  const [value, setValue] = useState<number | string>(stored);
  useEffect(() => setValue(agent.capacity ?? ''), [agent.capacity]);
  const save = useMutation({
    mutationFn: () => setAgentCapacity(agent.userId, value === '' ? null : Number(value)),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('agentCapacitySaved', { name: agent.name }) });
      void queryClient.invalidateQueries({ queryKey: AGENTS_KEY });
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
      <Group gap={4} wrap="nowrap">
        <NumberInput
          size="xs"
          w={130}
          min={0}
          max={100}
          allowDecimal={false}
          allowNegative={false}
          value={value}
          onChange={setValue}
          placeholder={t('agentCapacityDefault', { n: fallback })}
          aria-label={t('agentCapacity', { name: agent.name })}
          data-testid="agent-capacity"
        />
        <Button
          type="submit"
          size="xs"
          variant="default"
          disabled={value === stored}
          loading={save.isPending}
          data-testid="agent-capacity-save"
        >
          {t('agentCapacitySave')}
        </Button>
      </Group>
    </form>
  );
}

function AgentsNow() {
  const t = useTeamsT();
  const agents = useQuery({ queryKey: AGENTS_KEY, queryFn: getAgents });
  if (agents.isPending) return <LoadingState rows={2} />;
  if (agents.isError)
    return <ErrorState error={agents.error} onRetry={() => void agents.refetch()} />;
  if (agents.data.items.length === 0) return <Text c="dimmed">{t('agentsEmpty')}</Text>;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('agentsHelp')}
      </Text>
      <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {agents.data.items.map((a) => (
          <AgentRow key={a.id} a={a} fallback={agents.data.capacity} />
        ))}
      </Stack>
    </Stack>
  );
}

function AgentRow({ a, fallback }: { a: AgentView; fallback: number }) {
  const t = useTeamsT();
  return (
    <Group
      component="li"
      gap="xs"
      wrap="wrap"
      justify="space-between"
      data-testid="team-agent"
      data-agent-id={a.userId}
      data-presence={a.presence}
      data-capacity={a.capacity ?? ''}
      pb={6}
      // One agent per row, told apart on a phone where the name, line and box stack.
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
    >
      <Group gap="xs" wrap="wrap" style={{ minWidth: 0, flex: '1 1 220px' }}>
        <Badge
          variant="dot"
          color={a.presence === 'available' ? 'teal' : 'gray'}
          title={a.name}
          style={{ textTransform: 'none', maxWidth: '100%' }}
        >
          {a.name}
        </Badge>
        <Text size="sm" c="dimmed">
          {t('agentLine', { presence: t(a.presence), open: a.open })}
          {a.capacity !== null && ` · ${t('agentCapacityOwn', { n: a.capacity })}`}
          {' · '}
          {a.teams.length ? a.teams.map((x) => x.name).join(', ') : t('noTeam')}
        </Text>
      </Group>
      <AgentCapacity agent={a} fallback={fallback} />
    </Group>
  );
}

function TeamCard({ team, onEdit }: { team: TeamView; onEdit(): void }) {
  const t = useTeamsT();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteTeam(team.id),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('deleted') });
      void queryClient.invalidateQueries({ queryKey: TEAMS_KEY });
      void queryClient.invalidateQueries({ queryKey: AGENTS_KEY });
    },
    onError: (err) =>
      notifications.show({ color: 'red', message: t('failed', { message: errorText(err) }) }),
  });
  const rules = [
    ...team.flows.map((v) => t('ruleFlow', { value: v })),
    ...team.intents.map((v) => t('ruleIntent', { value: v })),
    ...team.languages.map((v) => t('ruleLanguage', { value: t(`lang.${v}`) })),
  ];
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      component="article"
      aria-label={team.name}
      data-testid="team-card"
      data-team-id={team.id}
    >
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={3} size="h4" style={{ overflowWrap: 'anywhere' }}>
          {team.name}
        </Title>
        <Group gap="xs" wrap="wrap">
          {asking ? (
            <>
              <Text size="sm">{t('deleteConfirm', { name: team.name })}</Text>
              <Button
                size="xs"
                color="red"
                onClick={() => remove.mutate()}
                loading={remove.isPending}
                data-testid="team-delete-confirm"
              >
                {t('delete')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setAsking(false)}>
                {t('cancel')}
              </Button>
            </>
          ) : (
            <>
              <Button size="xs" variant="default" onClick={onEdit} data-testid="team-edit">
                {t('edit')}
              </Button>
              <Button
                size="xs"
                variant="subtle"
                color="red"
                onClick={() => setAsking(true)}
                data-testid="team-delete"
              >
                {t('delete')}
              </Button>
            </>
          )}
        </Group>
      </Group>
      <Text size="sm" mt={6} data-testid="team-members-line">
        <Text span fw={600}>
          {t('members')}:{' '}
        </Text>
        {team.members.length
          ? team.members.map((m) => m.name ?? m.id).join(', ')
          : t('membersNone')}
      </Text>
      <Group gap={6} mt={6} wrap="wrap" data-testid="team-rules">
        <Text size="sm" fw={600}>
          {t('rules')}:
        </Text>
        {rules.length ? (
          rules.map((r) => (
            <Badge key={r} variant="light" style={{ textTransform: 'none' }}>
              {r}
            </Badge>
          ))
        ) : (
          <Text size="sm" c="dimmed">
            {t('noRules')}
          </Text>
        )}
      </Group>
    </Paper>
  );
}

export default function TeamsPage() {
  const t = useTeamsT();
  const teams = useQuery({ queryKey: TEAMS_KEY, queryFn: getTeams });
  const [editing, setEditing] = useState<TeamView | 'new' | null>(null);
  // On a phone the dialog takes the screen (it scrolls as a page, its buttons reachable).
  const narrow = useNarrow();
  return (
    <Stack gap="md">
      <PageHeader title={t('title')}>
        <Button onClick={() => setEditing('new')} data-testid="team-add">
          {t('add')}
        </Button>
      </PageHeader>
      <Text size="sm" c="dimmed">
        {t('intro')}
      </Text>
      <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="capacity-title">
        <Title order={2} size="h4" id="capacity-title" mb="xs">
          {t('capacityTitle')}
        </Title>
        <CapacityForm />
      </Paper>
      <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="agents-title">
        <Title order={2} size="h4" id="agents-title" mb="xs">
          {t('agentsTitle')}
        </Title>
        <AgentsNow />
      </Paper>
      <Stack gap="sm" component="section" aria-labelledby="teams-title">
        <Title order={2} size="h4" id="teams-title">
          {t('teamsTitle')}
        </Title>
        {teams.isPending ? (
          <LoadingState />
        ) : teams.isError ? (
          <ErrorState error={teams.error} onRetry={() => void teams.refetch()} />
        ) : teams.data.items.length === 0 ? (
          <EmptyState title={t('empty')} hint={t('emptyHint')} />
        ) : (
          teams.data.items.map((team) => (
            <TeamCard key={team.id} team={team} onEdit={() => setEditing(team)} />
          ))
        )}
      </Stack>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing && editing !== 'new' ? t('editTitle', { name: editing.name }) : t('add')}
        size="lg"
        fullScreen={narrow}
      >
        {editing && (
          <TeamForm team={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
        )}
      </Modal>
    </Stack>
  );
}
