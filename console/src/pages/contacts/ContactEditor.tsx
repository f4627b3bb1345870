/**
 * "Edit details" on the customer page (marketers, agents, admins): name, emails, phones, tags,
 * notes and custom fields in one dialog, saved as one PATCH of what changed. The server reads
 * emails and phones as the bot does and answers why it refuses one; the message is shown in the
 * dialog, which stays open with what was typed.
 */
import { ActionIcon, Alert, Button, Group, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ContactChanges, ContactView } from '../../api/types';
import { DialogButton } from '../../components/dialog-button';
import { patchContact } from './api';
import { useContactEditT } from './edit-texts';
import { TagsField } from '../../components/tags-field';

type Contact = ContactView['contact'];

interface Form {
  name: string;
  emails: string[];
  phones: string[];
  tags: string[];
  notes: string;
  fields: { name: string; value: string }[];
}

const formOf = (c: Contact): Form => ({
  name: c.name ?? '',
  emails: c.emails,
  phones: c.phones,
  tags: c.tags,
  notes: c.notes ?? '',
  fields: Object.entries(c.customFields).map(([name, value]) => ({ name, value })),
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changesOf(c: Contact, form: Form): ContactChanges {
  const changes: ContactChanges = {};
  if (form.name.trim() !== (c.name ?? '')) changes.name = form.name.trim() || null;
  if (!same(form.emails, c.emails)) changes.emails = form.emails;
  if (!same(form.phones, c.phones)) changes.phones = form.phones;
  if (!same(form.tags, c.tags)) changes.tags = form.tags;
  if (form.notes.trim() !== (c.notes ?? '')) changes.notes = form.notes.trim() || null;
  const fields = Object.fromEntries(
    form.fields
      .filter((f) => f.name.trim() !== '' && f.value.trim() !== '')
      .map((f) => [f.name.trim(), f.value.trim()]),
  );
  if (!same(fields, c.customFields)) changes.customFields = fields;
  return changes;
}

function CustomFields({ form, setForm }: { form: Form; setForm: (f: Form) => void }) {
  const t = useContactEditT();
  const update = (i: number, patch: Partial<Form['fields'][number]>) =>
    setForm({ ...form, fields: form.fields.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  return (
    <Stack gap={6} component="fieldset" m={0} p={0} style={{ border: 'none' }}>
      <Text component="legend" size="sm" fw={500}>
        {t('customFields')}
      </Text>
      {form.fields.map((f, i) => (
        <Group key={i} gap="xs" wrap="nowrap" align="flex-end">
          <TextInput
            aria-label={t('fieldName')}
            placeholder={t('fieldName')}
            value={f.name}
            onChange={(e) => update(i, { name: e.currentTarget.value })}
            maxLength={40}
            style={{ flex: 2 }}
          />
          <TextInput
            aria-label={t('fieldValue')}
            placeholder={t('fieldValue')}
            value={f.value}
            onChange={(e) => update(i, { value: e.currentTarget.value })}
            maxLength={500}
            style={{ flex: 3 }}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label={t('removeField', { name: f.name || String(i + 1) })}
            onClick={() => setForm({ ...form, fields: form.fields.filter((_, j) => j !== i) })}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="light"
        size="xs"
        style={{ alignSelf: 'flex-start' }}
        disabled={form.fields.length >= 30}
        onClick={() => setForm({ ...form, fields: [...form.fields, { name: '', value: '' }] })}
        data-testid="contact-add-field"
      >
        {t('addField')}
      </Button>
    </Stack>
  );
}

function EditorForm({ contact, onClose }: { contact: Contact; onClose: () => void }) {
  const t = useContactEditT();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(contact));
  const changes = changesOf(contact, form);
  const dirty = Object.keys(changes).length > 0;
  const save = useMutation({
    mutationFn: () => patchContact(contact.id, changes),
    onSuccess: (view) => {
      queryClient.setQueryData(['contact', contact.id], view);
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      notifications.show({ color: 'teal', message: t('saved') });
      onClose();
    },
  });
  return (
    <Stack
      gap="sm"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty) save.mutate();
      }}
      data-testid="contact-editor"
    >
      {save.isError && (
        <Alert color="red" role="alert" data-testid="contact-edit-error">
          {t('failed', {
            message: save.error instanceof Error ? save.error.message : String(save.error),
          })}
        </Alert>
      )}
      <TextInput
        label={t('name')}
        value={form.name}
        onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
        maxLength={200}
        data-testid="contact-edit-name"
      />
      <TagsField
        label={t('emails')}
        description={t('emailsHint')}
        value={form.emails}
        onChange={(emails) => setForm({ ...form, emails })}
        maxTags={20}
        splitChars={[',', ' ', ';']}
        data-testid="contact-edit-emails"
      />
      <TagsField
        label={t('phones')}
        description={t('phonesHint')}
        value={form.phones}
        onChange={(phones) => setForm({ ...form, phones })}
        maxTags={20}
        splitChars={[',', ';']}
        data-testid="contact-edit-phones"
      />
      <TagsField
        label={t('tags')}
        description={t('tagsHint')}
        value={form.tags}
        onChange={(tags) => setForm({ ...form, tags })}
        maxTags={50}
        data-testid="contact-edit-tags"
      />
      <Textarea
        label={t('notes')}
        value={form.notes}
        onChange={(e) => setForm({ ...form, notes: e.currentTarget.value })}
        autosize
        minRows={3}
        maxRows={10}
        maxLength={5000}
        data-testid="contact-edit-notes"
      />
      <CustomFields form={form} setForm={setForm} />
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onClose}>
          {t('cancel')}
        </Button>
        <Button
          type="submit"
          disabled={!dirty}
          loading={save.isPending}
          data-testid="contact-edit-save"
        >
          {t('save')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The "Edit details" button and its dialog. */
export function ContactEditor({ contact }: { contact: Contact }) {
  const t = useContactEditT();
  return (
    <DialogButton label={t('edit')} title={t('title')} variant="light" testId="contact-edit">
      {(close) => <EditorForm contact={contact} onClose={close} />}
    </DialogButton>
  );
}

/** Notes and custom fields on the customer page. */
export function NotesSection({ contact }: { contact: Contact }) {
  const t = useContactEditT();
  const fields = Object.entries(contact.customFields);
  return (
    <Stack gap={4} data-testid="contact-notes">
      {contact.notes ? (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {contact.notes}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          {t('noNotes')}
        </Text>
      )}
      {fields.length > 0 && (
        <Stack gap={2} mt="xs" component="dl" m={0}>
          {fields.map(([name, value]) => (
            <Group key={name} gap="xs" wrap="nowrap" align="baseline">
              <Text component="dt" size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                {name}
              </Text>
              <Text component="dd" size="sm" m={0} style={{ overflowWrap: 'anywhere' }}>
                {value}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
