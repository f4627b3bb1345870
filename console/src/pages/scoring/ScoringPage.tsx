/**
 * /console/scoring (admin edits; marketer and viewer read): the lead scoring rules in a YAML
 * editor with the server's validation problems drawn on their lines and listed, save (a new
 * version; leads are rescored in the background), and a preview of one lead's score and reasons
 * with the rules in the editor next to its stored score.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ACCESS } from '../../../../src/kernel/roles';
import { isApiError } from '../../api/client';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/i18n';
import { useCurrentUser } from '../../shell/current-user';
import { YamlEditor, type Problem } from '../studio/YamlEditor';
import { getRules, previewLead, saveRules, searchLeads, type ScoreReason } from './api';
import { useScoringT } from './texts';

function Reasons({
  score,
  reasons,
  title,
}: {
  score: number;
  reasons: ScoreReason[];
  title: string;
}) {
  const t = useScoringT();
  const { language } = useI18n();
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Text fw={600} size="sm">
          {title}
        </Text>
        <Badge size="lg" data-testid="preview-score">
          {score}
        </Badge>
      </Group>
      {reasons.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('noReasons')}
        </Text>
      ) : (
        <List size="sm" spacing={2}>
          {reasons.map((r) => (
            <List.Item key={r.rule}>
              {r.label[language]}{' '}
              <Text span c={r.points < 0 ? 'red.8' : 'teal.8'} fw={600}>
                {r.points > 0 ? '+' : ''}
                {r.points}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}

function PreviewPane({ yaml }: { yaml: string }) {
  const t = useScoringT();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const [leadId, setLeadId] = useState<string | null>(null);
  const leads = useQuery({
    queryKey: ['scoring', 'leads', debounced],
    queryFn: () => searchLeads(debounced),
  });
  const preview = useMutation({ mutationFn: () => previewLead(leadId!, yaml) });
  const data = (leads.data?.items ?? []).map((l) => ({
    value: l.id,
    label: `${l.name ?? l.email ?? l.id} (${l.score})`,
  }));
  return (
    <Stack gap="sm" mt="lg">
      <Title order={2} fz="h4">
        {t('preview')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('previewHint')}
      </Text>
      <Group align="flex-end" gap="xs" wrap="wrap">
        <Select
          label={t('lead')}
          placeholder={t('leadPlaceholder')}
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          data={data}
          value={leadId}
          onChange={setLeadId}
          nothingFoundMessage={t('noLeads')}
          filter={({ options }) => options}
          style={{ flex: '1 1 240px', minWidth: 0 }}
        />
        <Button onClick={() => preview.mutate()} disabled={!leadId} loading={preview.isPending}>
          {t('run')}
        </Button>
      </Group>
      {preview.isError && (
        <Alert color="red" role="alert">
          {preview.error.message}
        </Alert>
      )}
      {preview.data && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Reasons
            title={t('draftScore')}
            score={preview.data.score}
            reasons={preview.data.reasons}
          />
          <Reasons
            title={t('storedScore')}
            score={preview.data.stored.score}
            reasons={preview.data.stored.reasons}
          />
        </SimpleGrid>
      )}
    </Stack>
  );
}

export default function ScoringPage() {
  const t = useScoringT();
  const { formatDateTime } = useI18n();
  const user = useCurrentUser();
  const isAdmin = user.role === 'admin';
  // The preview is the scoring area's write side (marketers try rules on a lead); a viewer only
  // reads the live rules, so the editor is read-only and nothing promises a preview.
  const canPreview = (ACCESS.scoring.write as readonly string[]).includes(user.role) || isAdmin;
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: ['scoring', 'rules'], queryFn: getRules });
  const [text, setText] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  useEffect(() => {
    if (rules.data && text === null) setText(rules.data.yaml);
  }, [rules.data, text]);
  const save = useMutation({
    mutationFn: () => saveRules(text ?? ''),
    onSuccess: (saved) => {
      setProblems([]);
      setText(saved.yaml);
      queryClient.setQueryData(['scoring', 'rules'], saved);
      notifications.show({ color: 'teal', message: t('saved', { version: saved.version }) });
    },
    onError: (err) => {
      if (isApiError(err) && err.details?.length) setProblems(err.details);
      else notifications.show({ color: 'red', message: err.message });
    },
  });
  if (rules.isPending) return <LoadingState rows={6} />;
  if (rules.isError) return <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />;
  const live = rules.data;
  const current = text ?? live.yaml;
  const dirty = current !== live.yaml;
  return (
    <>
      <PageHeader title={t('title')}>
        <Badge variant="light" color="gray" c="gray.8" tt="none" size="lg">
          {t('version', { version: live.version })}
        </Badge>
      </PageHeader>
      <Text size="sm" c="dimmed" mb="xs">
        {t('intro')}
      </Text>
      {live.updatedAt && (
        <Text size="xs" c="dimmed" mb="md" style={{ overflowWrap: 'anywhere' }}>
          {live.updatedBy
            ? t('updated', { when: formatDateTime(live.updatedAt), who: live.updatedBy })
            : t('updatedAt', { when: formatDateTime(live.updatedAt) })}
        </Text>
      )}
      {!isAdmin && (
        <Alert mb="md" color="gray">
          {canPreview ? t('readOnlyPreview') : t('readOnly')}
        </Alert>
      )}
      <Stack gap="sm">
        <Text component="label" fw={600} size="sm">
          {t('editor')}
        </Text>
        <YamlEditor
          value={current}
          onChange={(v) => {
            setText(v);
          }}
          problems={problems}
          label={t('editor')}
          readOnly={!canPreview}
        />
        {problems.length > 0 && (
          <Alert color="red" role="alert" title={t('problems')}>
            <List size="sm">
              {problems.map((p, i) => (
                <List.Item key={i} style={{ overflowWrap: 'anywhere' }}>
                  <Text span ff="monospace" size="sm">
                    {p.path}
                  </Text>
                  : {p.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {isAdmin && (
          <Group gap="xs" wrap="wrap">
            <Button
              onClick={() => save.mutate()}
              loading={save.isPending}
              disabled={!dirty}
              data-testid="scoring-save"
            >
              {t('save')}
            </Button>
            <Button
              variant="default"
              disabled={!dirty}
              onClick={() => {
                setText(live.yaml);
                setProblems([]);
              }}
            >
              {t('reset')}
            </Button>
            {dirty && (
              <Badge color="yellow" variant="light" c="yellow.9">
                {t('unsaved')}
              </Badge>
            )}
          </Group>
        )}
        {canPreview && <PreviewPane yaml={current} />}
      </Stack>
    </>
  );
}
