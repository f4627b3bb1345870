/**
 * A team's form (new or edit), in the teams page's dialog: name, members (agents and admins),
 * and its routing rules — languages, intents, flows (suggested from the live catalogue; other
 * names may be typed). The server validates (unique name, assignable members) and audits.
 */
import { Button, Checkbox, Group, MultiSelect, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TeamBody, TeamView } from '../../../../src/features/assignment/schemas';
import { errorText } from '../../api/client';
import { TagsField } from '../../components/tags-field';
import { AGENTS_KEY, TEAMS_KEY, createTeam, getAgents, getCatalogueNames, updateTeam } from './api';
import { useTeamsT } from './teams-texts';

const blank: TeamBody = { name: '', members: [], languages: [], intents: [], flows: [] };

export function TeamForm({ team, onClose }: { team: TeamView | null; onClose(): void }) {
  const t = useTeamsT();
  const queryClient = useQueryClient();
  const [d, setD] = useState<TeamBody>(
    team
      ? {
          name: team.name,
          members: team.members.map((m) => m.id),
          languages: team.languages,
          intents: team.intents,
          flows: team.flows,
        }
      : blank,
  );
  const agents = useQuery({ queryKey: AGENTS_KEY, queryFn: getAgents });
  const names = useQuery({ queryKey: ['catalogue', 'names'], queryFn: getCatalogueNames });
  const save = useMutation({
    mutationFn: () => (team ? updateTeam(team.id, d) : createTeam(d)),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('saved') });
      void queryClient.invalidateQueries({ queryKey: TEAMS_KEY });
      void queryClient.invalidateQueries({ queryKey: AGENTS_KEY });
      onClose();
    },
  });
  const people = (agents.data?.items ?? []).map((a) => ({ value: a.userId, label: a.name }));
  // A member no longer listed (e.g. disabled meanwhile) stays visible, so it can be removed.
  for (const m of team?.members ?? []) {
    if (!people.some((p) => p.value === m.id)) people.push({ value: m.id, label: m.name ?? m.id });
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      data-testid="team-form"
    >
      <Stack gap="sm">
        <TextInput
          label={t('name')}
          placeholder={t('namePlaceholder')}
          required
          maxLength={60}
          value={d.name}
          onChange={(e) => setD({ ...d, name: e.currentTarget.value })}
          data-testid="team-name"
        />
        <MultiSelect
          label={t('members')}
          description={t('membersHelp')}
          data={people}
          value={d.members}
          onChange={(members) => setD({ ...d, members })}
          searchable
          comboboxProps={{ withinPortal: true }}
          data-testid="team-members"
        />
        <Checkbox.Group
          label={t('languages')}
          description={t('languagesHelp')}
          value={d.languages}
          onChange={(v) => setD({ ...d, languages: v as TeamBody['languages'] })}
          data-testid="team-languages"
        >
          <Group gap="md" mt={6}>
            {(['es', 'en'] as const).map((l) => (
              <Checkbox key={l} value={l} label={t(`lang.${l}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <TagsField
          label={t('intents')}
          description={t('intentsHelp')}
          data={names.data?.intents ?? []}
          value={d.intents}
          onChange={(intents) => setD({ ...d, intents })}
          maxTags={100}
          comboboxProps={{ withinPortal: true }}
          data-testid="team-intents"
        />
        <TagsField
          label={t('flows')}
          description={t('flowsHelp')}
          data={names.data?.flows ?? []}
          value={d.flows}
          onChange={(flows) => setD({ ...d, flows })}
          maxTags={100}
          comboboxProps={{ withinPortal: true }}
          data-testid="team-flows"
        />
        {save.isError && (
          <div
            role="alert"
            data-testid="team-error"
            style={{ color: 'var(--mantine-color-red-7)' }}
          >
            {t('failed', { message: errorText(save.error) })}
          </div>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="team-save">
            {t('save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
