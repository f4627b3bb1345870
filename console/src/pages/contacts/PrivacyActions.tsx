/**
 * Admin privacy actions on the contact page: "Export data" downloads the JSON of
 * GET /api/contacts/:id/export; "Erase" opens a modal that says what goes and what stays and
 * enables its button only once the admin typed ERASE (BORRAR in Spanish) or the contact's name,
 * then calls POST /api/contacts/:id/erase {confirm: id}. The server checks role and confirmation
 * again and audits both.
 */
import { Button, Group, List, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ContactView } from '../../api/types';
import { eraseContact, exportContact } from './api';
import { useInsightT } from './insight-texts';

/** Whether `typed` confirms the erase: the language's word or the contact's name. */
export function confirms(typed: string, word: string, name: string | null): boolean {
  const value = typed.trim().toLocaleLowerCase();
  if (!value) return false;
  if (value === word.toLocaleLowerCase()) return true;
  return !!name?.trim() && value === name.trim().toLocaleLowerCase();
}

function download(fileName: string, data: unknown) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function useExportContact(id: string) {
  const t = useInsightT();
  return useMutation({
    mutationFn: () => exportContact(id),
    onSuccess: (data) => {
      const file = `contact-${id}.json`;
      download(file, data);
      notifications.show({ color: 'green', message: t('exported', { file }) });
    },
    onError: (err: Error) =>
      notifications.show({ color: 'red', message: t('failed', { message: err.message }) }),
  });
}

function EraseModal({ v, opened, onClose }: { v: ContactView; opened: boolean; onClose(): void }) {
  const t = useInsightT();
  const client = useQueryClient();
  const [typed, setTyped] = useState('');
  const id = v.contact.id;
  const word = t('confirmWord');
  const erase = useMutation({
    mutationFn: () => eraseContact(id),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('erasedDone') });
      onClose();
      await client.invalidateQueries({ queryKey: ['contact', id] });
      await client.invalidateQueries({ queryKey: ['contacts'] });
    },
  });
  const ok = confirms(typed, word, v.contact.name);
  return (
    <Modal opened={opened} onClose={onClose} title={t('eraseTitle')} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (ok && !erase.isPending) erase.mutate();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('eraseWhat')}</Text>
          <List size="sm" spacing={2} data-testid="erase-what">
            <List.Item>{t('what.profile')}</List.Item>
            <List.Item>{t('what.messages', { count: v.engagement.conversations })}</List.Item>
            <List.Item>
              {t('what.leads', { count: v.engagement.leads, cases: v.engagement.cases })}
            </List.Item>
            <List.Item>{t('what.consent')}</List.Item>
          </List>
          <Text size="sm" c="dimmed">
            {t('eraseKeeps')}
          </Text>
          <TextInput
            label={v.contact.name ? t('confirmLabel', { word }) : t('confirmLabelNoName', { word })}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            autoComplete="off"
            data-autofocus
            data-testid="erase-confirm"
          />
          {erase.isError && (
            <Text size="sm" c="red.8" role="alert">
              {t('failed', { message: erase.error.message })}
            </Text>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button
              type="submit"
              color="red"
              disabled={!ok}
              loading={erase.isPending}
              data-testid="erase-submit"
            >
              {t('eraseNow')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function PrivacyActions({ v }: { v: ContactView }) {
  const t = useInsightT();
  const [opened, { open, close }] = useDisclosure(false);
  const exporter = useExportContact(v.contact.id);
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      component="section"
      aria-label={t('privacy')}
      data-testid="privacy-actions"
    >
      <Title order={2} size="h5" mb={4}>
        {t('privacy')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('privacyHint')}
      </Text>
      <Group gap="xs">
        <Button
          variant="default"
          size="xs"
          onClick={() => exporter.mutate()}
          loading={exporter.isPending}
          data-testid="export-data"
        >
          {t('exportData')}
        </Button>
        {!v.contact.erasedAt && (
          <Button color="red" variant="light" size="xs" onClick={open} data-testid="erase-open">
            {t('erase')}
          </Button>
        )}
      </Group>
      {opened && <EraseModal v={v} opened={opened} onClose={close} />}
    </Paper>
  );
}
