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

type ActionType = 'answer' | 'flow' | 'builtin';

/** The intent's phrases, answers and buttons per language, one per line, as typed. */
interface IntentTexts {
  phrasesEs: string;
  phrasesEn: string;
  answersEs: string;
  answersEn: string;
  quickRepliesEs: string;
  quickRepliesEn: string;
}

function initialTexts(intent: Intent | null): IntentTexts {
  return {
    phrasesEs: (intent?.training.es ?? []).join('\n'),
    phrasesEn: (intent?.training.en ?? []).join('\n'),
    answersEs: (intent?.answers?.es ?? []).join('\n'),
    answersEn: (intent?.answers?.en ?? []).join('\n'),
    quickRepliesEs: (intent?.quickReplies?.es ?? []).join('\n'),
    quickRepliesEn: (intent?.quickReplies?.en ?? []).join('\n'),
  };
}

/** The PUT body (an intents/*.yaml document as JSON) from the form, and what it does not edit. */
function intentBody(
  name: string,
  actionType: ActionType,
  target: string,
  text: IntentTexts,
  kept: Pick<Intent, 'label'> | null,
) {
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
    // Not edited here: kept as it was, so a save does not drop it.
    ...(kept?.label ? { label: kept.label } : {}),
  };
}

/** Save and delete the intent; the draft they answer replaces the cached one. */
function useIntentChanges(
  intent: Intent | null,
  form: () => { name: string; body: unknown },
  onSaved: (name: string | null) => void,
) {
  const t = useStudioT();
  const queryClient = useQueryClient();
  const [issues, setIssues] = useState<Issue[]>([]);
  const done = (draft: Draft) => queryClient.setQueryData(['studio', 'draft'], draft);
  const save = useMutation({
    mutationFn: () => putDefinition('intents', form().name, form().body),
    onSuccess: (draft) => {
      setIssues([]);
      done(draft);
      notifications.show({ color: 'teal', message: t('saved') });
      onSaved(form().name);
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
  return { save, remove, issues };
}

/** Phrases and answers per language; the quick-reply buttons only for an answer intent. */
function IntentTextAreas({
  text,
  setText,
  actionType,
}: {
  text: IntentTexts;
  setText(text: IntentTexts): void;
  actionType: ActionType;
}) {
  const t = useStudioT();
  const area = (key: keyof IntentTexts, minRows = 4) => (
    <Textarea
      label={t(key)}
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
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      {area('phrasesEs')}
      {area('phrasesEn')}
      {area('answersEs')}
      {area('answersEn')}
      {actionType === 'answer' && area('quickRepliesEs', 2)}
      {actionType === 'answer' && area('quickRepliesEn', 2)}
    </SimpleGrid>
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
  const [name, setName] = useState(intent?.name ?? '');
  const [actionType, setActionType] = useState<ActionType>(intent?.action?.type ?? 'answer');
  const [target, setTarget] = useState(
    intent?.action?.type === 'flow'
      ? intent.action.flow
      : intent?.action?.type === 'builtin'
        ? intent.action.name
        : '',
  );
  const [text, setText] = useState(() => initialTexts(intent));
  const { save, remove, issues } = useIntentChanges(
    intent,
    () => ({ name: name.trim(), body: intentBody(name, actionType, target, text, intent) }),
    onSaved,
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
              setActionType((v as ActionType) ?? 'answer');
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
      <IntentTextAreas text={text} setText={setText} actionType={actionType} />
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
