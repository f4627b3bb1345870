/**
 * One flow of the draft: the YAML (CodeMirror, checked against the server's schema as you type,
 * problems shown inline) and a form for the common fields, which edits the same YAML.
 */
import {
  Alert,
  Button,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { parseDocument, stringify } from 'yaml';
import { ApiError } from '../../api/client';
import { deleteDefinition, putDefinition, validateDefinition, type Flow } from './api';
import { IssueList } from './IntentEditor';
import { useStudioT } from './texts';
import { YamlEditor, type Problem } from './YamlEditor';

const NEW_FLOW = {
  name: 'new_flow',
  slots: [
    {
      name: 'email',
      type: 'email',
      label: { es: 'Email', en: 'Email' },
      prompt: { es: '¿A qué email te escribimos?', en: 'Which email should we use?' },
      reprompt: { es: 'Ese email no parece válido.', en: "That email doesn't look valid." },
    },
  ],
  completion: { action: 'none', messages: { es: '¡Gracias!', en: 'Thank you!' } },
};

/**
 * The fields the form edits, as the admin's YAML has them (unchecked: the server's schema checks
 * the whole document, src/pipeline/flows/schema.ts).
 */
interface TypedFlow {
  name?: string;
  description?: string;
  maxAttempts?: number;
  onMaxAttempts?: string;
  onIntent?: string;
  completion?: { action?: string };
}

const COMPLETIONS = [
  'create_lead',
  'create_case',
  'create_callback',
  'send_transcript',
  'escalate',
  'none',
];

export function FlowEditor({
  flow,
  onSaved,
}: {
  flow: Flow | null;
  onSaved(name: string | null): void;
}) {
  const t = useStudioT();
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => stringify(flow ?? NEW_FLOW));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [syntax, setSyntax] = useState<string | null>(null);
  const doc = useMemo(() => parseDocument(text), [text]);
  const parsed = doc.errors.length === 0 ? (doc.toJS() as TypedFlow | null) : null;

  // Check as the admin types (debounced): YAML syntax here, the schema on the server.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (doc.errors.length > 0) {
        setSyntax(doc.errors[0]!.message.split('\n')[0]!);
        setProblems([]);
        return;
      }
      setSyntax(null);
      validateDefinition('flow', doc.toJS())
        .then((r) => setProblems(r.details))
        .catch(() => undefined);
    }, 400);
    return () => clearTimeout(timer);
  }, [doc]);

  const setField = (key: string, value: unknown) => {
    const next = parseDocument(text);
    if (value === '' || value === undefined || value === null) next.deleteIn([key]);
    else next.setIn(key.split('.'), value);
    setText(String(next));
  };
  const name = parsed?.name ?? flow?.name ?? '';
  const save = useMutation({
    mutationFn: () => putDefinition('flows', String(name), parsed),
    onSuccess: (draft) => {
      queryClient.setQueryData(['studio', 'draft'], draft);
      notifications.show({ color: 'teal', message: t('saved') });
      onSaved(String(name));
    },
    onError: (err) =>
      setProblems(
        err instanceof ApiError && err.details?.length
          ? err.details
          : [{ path: '', message: err instanceof Error ? err.message : String(err) }],
      ),
  });
  const remove = useMutation({
    mutationFn: () => deleteDefinition('flows', flow!.name),
    onSuccess: (draft) => {
      queryClient.setQueryData(['studio', 'draft'], draft);
      notifications.show({ color: 'teal', message: t('deleted') });
      onSaved(null);
    },
  });
  const opts = (values: string[]) =>
    values.map((v) => ({ value: v, label: t(`opt.${v}` as 'opt.cancel') }));

  return (
    <Stack gap="sm" data-testid="flow-editor">
      <Text fw={600} size="sm">
        {t('commonFields')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('description')}
          value={String(parsed?.description ?? '')}
          onChange={(e) => setField('description', e.currentTarget.value)}
          disabled={!parsed}
        />
        <NumberInput
          label={t('maxAttempts')}
          min={1}
          max={10}
          value={Number(parsed?.maxAttempts ?? 3)}
          onChange={(v) => setField('maxAttempts', typeof v === 'number' ? v : undefined)}
          disabled={!parsed}
        />
        <Select
          label={t('onMaxAttempts')}
          data={opts(['cancel', 'escalate'])}
          value={parsed?.onMaxAttempts ?? 'cancel'}
          onChange={(v) => setField('onMaxAttempts', v)}
          allowDeselect={false}
          disabled={!parsed}
        />
        <Select
          label={t('onIntent')}
          data={opts(['reask', 'leave'])}
          value={parsed?.onIntent ?? 'reask'}
          onChange={(v) => setField('onIntent', v)}
          allowDeselect={false}
          disabled={!parsed}
        />
        <Select
          label={t('completionAction')}
          data={COMPLETIONS}
          value={parsed?.completion?.action ?? null}
          onChange={(v) => setField('completion.action', v)}
          allowDeselect={false}
          disabled={!parsed}
        />
      </SimpleGrid>
      <Text fw={600} size="sm">
        {t('yaml')}
      </Text>
      <YamlEditor value={text} onChange={setText} problems={problems} label={t('yaml')} />
      {syntax ? (
        <Alert color="red" variant="light">
          {t('yamlSyntax', { message: syntax })}
        </Alert>
      ) : problems.length > 0 ? (
        <IssueList issues={problems} />
      ) : (
        <Text size="sm" c="teal" data-testid="flow-valid">
          {t('yamlOk')}
        </Text>
      )}
      <Group justify="space-between">
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!parsed || syntax !== null}
          data-testid="flow-save"
        >
          {t('save')}
        </Button>
        {flow && (
          <Button
            color="red"
            variant="subtle"
            loading={remove.isPending}
            onClick={() =>
              window.confirm(t('confirmDelete', { name: flow.name })) && remove.mutate()
            }
          >
            {t('delete')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
