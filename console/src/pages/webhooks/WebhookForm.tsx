/** The create/edit form of a webhook: URL, description, events (checkboxes), active. */
import { Alert, Button, Checkbox, Group, Modal, Stack, Switch, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { WEBHOOK_EVENTS, type Webhook, type WebhookInput } from './api';
import { eventLabel, useWebhookT } from './texts';

const EMPTY: WebhookInput = { url: '', events: ['lead.created'], description: '', active: true };

function validUrl(value: string): boolean {
  try {
    const u = new URL(value.trim());
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export function WebhookForm({
  opened,
  editing,
  onClose,
  onSubmit,
}: {
  opened: boolean;
  /** The webhook being edited; undefined = a new one. */
  editing?: Webhook;
  onClose(): void;
  onSubmit(body: WebhookInput): Promise<unknown>;
}) {
  const t = useWebhookT();
  const [form, setForm] = useState<WebhookInput>(EMPTY);
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!opened) return;
    setForm(editing ? { ...editing } : EMPTY);
    setTouched(false);
    setError(null);
  }, [opened, editing]);
  const problems = {
    url: validUrl(form.url) ? null : t('urlInvalid'),
    events: form.events.length > 0 ? null : t('eventsRequired'),
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problems.url || problems.events) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ ...form, url: form.url.trim(), description: form.description.trim() });
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={editing ? t('editTitle') : t('new')} centered>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="webhook-form">
        <Stack gap="sm">
          <TextInput
            label={t('url')}
            description={t('urlHint')}
            required
            type="url"
            placeholder="https://"
            value={form.url}
            error={touched ? problems.url : null}
            onChange={(e) => setForm({ ...form, url: e.currentTarget.value })}
            data-testid="webhook-url"
            data-autofocus
          />
          <TextInput
            label={t('description')}
            description={t('descriptionHint')}
            maxLength={200}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
            data-testid="webhook-description"
          />
          <Checkbox.Group
            label={t('events')}
            required
            value={form.events}
            error={touched ? problems.events : null}
            onChange={(v) => setForm({ ...form, events: v as WebhookInput['events'] })}
          >
            <Stack gap={6} mt={6}>
              {WEBHOOK_EVENTS.map((e) => (
                <Checkbox
                  key={e}
                  value={e}
                  label={`${eventLabel(t, e)} (${e})`}
                  data-testid={`webhook-event-${e}`}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          <Switch
            label={t('active')}
            checked={form.active}
            onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })}
          />
          {error && (
            <Alert color="red" role="alert" style={{ overflowWrap: 'anywhere' }}>
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="webhook-submit">
              {editing ? t('save') : t('create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
