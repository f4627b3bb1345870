/**
 * Hand a conversation with staff to a colleague or to a team (POST /api/conversations/:id/assign):
 * a Select of the assignable staff (presence, open count) and the teams, showing who has it now.
 * The server decides (an agent passes on only a waiting conversation or their own); its refusal
 * is shown under the control.
 */
import { Select, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConversationDetail } from '../../api/types';
import type { AssignBody } from '../../../../src/features/assignment/schemas';
import { AGENTS_KEY, TEAMS_KEY, assignConversation, getAgents, getTeams } from './api';
import { useAssignT } from './texts';

/** `user:<user id>` (as the conversation's assignee id) or `team:<team id>`. */
function targetOf(value: string): AssignBody['to'] | null {
  const [kind, id] = value.split(':');
  if ((kind === 'user' || kind === 'team') && id) return { kind, id };
  return null;
}

export function AssignControl({ c }: { c: ConversationDetail }) {
  const t = useAssignT();
  const queryClient = useQueryClient();
  const agents = useQuery({ queryKey: AGENTS_KEY, queryFn: getAgents });
  const teams = useQuery({ queryKey: TEAMS_KEY, queryFn: getTeams });
  const assign = useMutation({
    mutationFn: (to: AssignBody['to']) => assignConversation(c.id, to),
    onSuccess: () => notifications.show({ color: 'teal', message: t('assigned') }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['conversation', c.id] }),
        queryClient.invalidateQueries({ queryKey: ['conversations'] }),
        queryClient.invalidateQueries({ queryKey: AGENTS_KEY }),
      ]),
  });
  const current =
    c.status === 'assigned' && c.assignee ? c.assignee.id : c.team ? `team:${c.team.id}` : null;
  const people = (agents.data?.items ?? []).map((a) => ({
    value: a.id,
    label: t('agentOption', { name: a.name, presence: t(a.presence), open: a.open }),
  }));
  // The current assignee stays shown even if they are no longer in the list (e.g. disabled).
  if (c.assignee && c.status === 'assigned' && !people.some((p) => p.value === c.assignee!.id)) {
    people.unshift({ value: c.assignee.id, label: c.assignee.name ?? c.assignee.id });
  }
  const groups = (teams.data?.items ?? []).map((team) => ({
    value: `team:${team.id}`,
    label: t('teamOption', { name: team.name }),
  }));
  if (c.team && !groups.some((g) => g.value === `team:${c.team!.id}`)) {
    groups.unshift({
      value: `team:${c.team.id}`,
      label: t('teamOption', { name: c.team.name ?? c.team.id }),
    });
  }
  const error = assign.error ?? agents.error ?? teams.error;
  return (
    <Stack gap={4}>
      <Select
        size="xs"
        label={t('assignLabel')}
        placeholder={t('assignPlaceholder')}
        value={current}
        searchable
        allowDeselect={false}
        nothingFoundMessage="—"
        data={[
          { group: t('colleagues'), items: people },
          ...(groups.length ? [{ group: t('teams'), items: groups }] : []),
        ]}
        onChange={(value) => {
          const to = value ? targetOf(value) : null;
          if (to && value !== current) assign.mutate(to);
        }}
        disabled={assign.isPending}
        error={error ? t('assignFailed', { message: error.message }) : undefined}
        comboboxProps={{ withinPortal: true }}
        data-testid="assign"
        data-assignee={c.assignee?.id ?? ''}
        data-team={c.team?.id ?? ''}
      />
    </Stack>
  );
}
