/**
 * The header's presence toggle for agents and admins: available (given conversations
 * automatically) or away. Reads the user's own row of GET /api/assignment/agents and sets it
 * with PUT /api/assignment/presence (the server audits it). On a phone, a Switch.
 */
import { Group, SegmentedControl, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Presence } from '../../../../src/features/assignment/schemas';
import { useNarrow } from '../../components/use-narrow';
import { AGENTS_KEY, getAgents, setPresence } from './api';
import { useAssignT } from './texts';

const PRESENCES: readonly Presence[] = ['available', 'away'];

export function PresenceSwitch() {
  const t = useAssignT();
  const narrow = useNarrow();
  const queryClient = useQueryClient();
  const agents = useQuery({ queryKey: AGENTS_KEY, queryFn: getAgents });
  const change = useMutation({
    mutationFn: setPresence,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: AGENTS_KEY }),
    onError: (err) =>
      notifications.show({
        color: 'red',
        message: t('presenceFailed', { message: err instanceof Error ? err.message : '' }),
      }),
  });
  const me = agents.data?.me;
  if (!me) return null;
  const value = change.isPending && change.variables ? change.variables : me.presence;
  if (narrow) {
    // A phone's header has no room for both words: a switch, named by its state.
    return (
      <Switch
        size="sm"
        color="teal"
        aria-label={`${t('presenceLabel')}: ${t(value)}`}
        title={`${t('presenceLabel')}: ${t(value)}`}
        checked={value === 'available'}
        onChange={(e) => change.mutate(e.currentTarget.checked ? 'available' : 'away')}
        data-testid="presence-switch"
        data-presence={me.presence}
      />
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="xs" c="dimmed" visibleFrom="md" aria-hidden>
        {t('presenceLabel')}
      </Text>
      <SegmentedControl
        size="xs"
        aria-label={t('presenceLabel')}
        value={value}
        onChange={(v) => change.mutate(v as Presence)}
        color={value === 'available' ? 'teal' : 'gray'}
        data={PRESENCES.map((p) => ({ value: p, label: t(p) }))}
        data-testid="presence"
        data-presence={me.presence}
      />
    </Group>
  );
}
