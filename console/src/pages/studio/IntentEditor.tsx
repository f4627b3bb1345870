/** One intent of the draft as a form: name, action, phrases and answers per language. */
import {
  Alert,
  Button,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { deleteDefinition, putDefinition, type Draft, type Intent, type Issue } from './api';
import { useStudioT } from './texts';

const BUILTINS = ['case_status', 'privacy_request', 'unsubscribe'];
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function IssueList({ issues }: { issues: Issue[] }) {
  if (issues.length === 0) return null;
  return (
    <Alert color="red" variant="light" data-testid="studio-issues">
      <Stack gap={2}>
        {issues.map((i) => (
          <Text key={`${i.path}:${i.message}`} size="sm">
            {i.path && <b>{i.path}: </b>}
            {i.message}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

export function IntentEditor({
  intent,
  flows,
  onSaved,
}: {
  intent: Intent | null;
  flows: string[];
  onSaved(name: string | null): void;
}) {
  const t = useStudioT();
  const queryClient = useQueryClient();
  const [name, setName] = useState(intent?.name ?? '');
  const [actionType, setActionType] = useState(intent?.action?.type ?? 'answer');
  const [target, setTarget] = useState(
    intent?.action?.type === 'flow'
      ? intent.action.flow
      : intent?.action?.type === 'builtin'
        ? intent.action.name
        : '',
  );
  const [text, setText] = useState({
    phrasesEs: (intent?.training.es ?? []).join('\n'),
    phrasesEn: (intent?.training.en ?? []).join('\n'),
    answersEs: (intent?.answers?.es ?? []).join('\n'),
    answersEn: (intent?.answers?.en ?? []).join('\n'),
    quickRepliesEs: (intent?.quickReplies?.es ?? []).join('\n'),
    quickRepliesEn: (intent?.quickReplies?.en ?? []).join('\n'),
  });
  const [issues, setIssues] = useState<Issue[]>([]);

  const body = () => {
    const action =
      actionType === 'flow'
        ? { type: 'flow', flow: target }
        : actionType === 'builtin'
          ? { type: 'builtin', name: target }
          : { type: 'answer' };
    const answers = { es: lines(text.answersEs), en: lines(text.answersEn) };
    const hasAnswers = answers.es.length + answers.en.length > 0;
    const quickReplies = { es: lines(text.quickRepliesEs), en: lines(text.quickRepliesEn) };
    const hasButtons = quickReplies.es.length + quickReplies.en.length > 0;
    return {
      name,
      action,
      training: { es: lines(text.phrasesEs), en: lines(text.phrasesEn) },
      ...(hasAnswers || actionType === 'answer' ? { answers } : {}),
      ...(hasButtons ? { quickReplies } : {}),
    };
  };
  const done = (draft: Draft) => queryClient.setQueryData(['studio', 'draft'], draft);
  const save = useMutation({
    mutationFn: () => putDefinition('intents', name.trim(), body()),
    onSuccess: (draft) => {
      setIssues([]);
      done(draft);
      notifications.show({ color: 'teal', message: t('saved') });
      onSaved(name.trim());
    },
    onError: (err) =>
      setIssues(
        err instanceof ApiError && err.details?.length
          ? err.details
          : [{ path: '', message: err instanceof Error ? err.message : String(err) }],
      ),
  });
  const remove = useMutation({
    mutationFn: () => deleteDefinition('intents', intent!.name),
    onSuccess: (draft) => {
      done(draft);
      notifications.show({ color: 'teal', message: t('deleted') });
      onSaved(null);
    },
  });

  const area = (
    key: keyof typeof text,
    label:
      'phrasesEs' | 'phrasesEn' | 'answersEs' | 'answersEn' | 'quickRepliesEs' | 'quickRepliesEn',
    minRows = 4,
  ) => (
    <Textarea
      label={t(label)}
      description={
        minRows < 4 ? t('quickRepliesHint') : t('onePerLine', { count: lines(text[key]).length })
      }
      value={text[key]}
      onChange={(e) => setText({ ...text, [key]: e.currentTarget.value })}
      autosize
      minRows={minRows}
      maxRows={12}
      data-testid={`intent-${key}`}
    />
  );
  return (
    <Stack gap="sm" data-testid="intent-editor">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('name')}
          description={t('nameHint')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          readOnly={intent !== null}
          required
          data-testid="intent-name"
        />
        <Group grow align="flex-end">
          <Select
            label={t('action')}
            data={(['answer', 'flow', 'builtin'] as const).map((v) => ({
              value: v,
              label: t(`action.${v}`),
            }))}
            value={actionType}
            onChange={(v) => {
              setActionType((v as 'answer' | 'flow' | 'builtin') ?? 'answer');
              setTarget('');
            }}
            allowDeselect={false}
            data-testid="intent-action"
          />
          {actionType !== 'answer' && (
            <Select
              label={actionType === 'flow' ? t('flow') : t('builtin')}
              data={actionType === 'flow' ? flows : BUILTINS}
              value={target || null}
              onChange={(v) => setTarget(v ?? '')}
              data-testid="intent-action-target"
            />
          )}
        </Group>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {area('phrasesEs', 'phrasesEs')}
        {area('phrasesEn', 'phrasesEn')}
        {area('answersEs', 'answersEs')}
        {area('answersEn', 'answersEn')}
        {actionType === 'answer' && area('quickRepliesEs', 'quickRepliesEs', 2)}
        {actionType === 'answer' && area('quickRepliesEn', 'quickRepliesEn', 2)}
      </SimpleGrid>
      <IssueList issues={issues} />
      <Group justify="space-between">
        <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="intent-save">
          {t('save')}
        </Button>
        {intent && (
          <Button
            color="red"
            variant="subtle"
            loading={remove.isPending}
            onClick={() =>
              window.confirm(t('confirmDelete', { name: intent.name })) && remove.mutate()
            }
            data-testid="intent-delete"
          >
            {t('delete')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
