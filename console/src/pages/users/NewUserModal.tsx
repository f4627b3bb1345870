/** The "new user" form: name, email, role and an initial password (12+ characters). */
import {
  Alert,
  Button,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { ROLES, type Role } from '../../api/types';
import { useI18n } from '../../i18n/i18n';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMPTY = { name: '', email: '', role: 'agent' as Role, password: '' };

export function NewUserModal({
  opened,
  onClose,
  onCreate,
}: {
  opened: boolean;
  onClose(): void;
  onCreate(body: typeof EMPTY): Promise<unknown>;
}) {
  const { t } = useI18n();
  const [form, setForm] = useState(EMPTY);
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = {
    name: form.name.trim() ? null : t('form.required'),
    email: EMAIL.test(form.email.trim()) ? null : t('form.invalidEmail'),
    password: form.password.length >= 12 ? null : t('form.passwordShort'),
  };
  const show = (p: string | null) => (touched ? p : null);
  const close = () => {
    setForm(EMPTY);
    setTouched(false);
    setError(null);
    onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problems.name || problems.email || problems.password) return;
    setBusy(true);
    setError(null);
    try {
      await onCreate({ ...form, name: form.name.trim(), email: form.email.trim() });
      close();
    } catch (err) {
      setError(
        isApiError(err, 409)
          ? t('users.duplicate')
          : err instanceof Error
            ? err.message
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={t('users.new')} centered>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="new-user-form">
        <Stack gap="sm">
          <TextInput
            label={t('users.name')}
            required
            value={form.name}
            error={show(problems.name)}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            data-testid="new-user-name"
            data-autofocus
          />
          <TextInput
            label={t('users.email')}
            type="email"
            required
            value={form.email}
            error={show(problems.email)}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
            data-testid="new-user-email"
          />
          <Select
            label={t('users.role')}
            data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            value={form.role}
            onChange={(v) => v && setForm({ ...form, role: v as Role })}
            allowDeselect={false}
            data-testid="new-user-role"
          />
          <PasswordInput
            label={t('users.password')}
            description={t('setup.passwordHint')}
            required
            autoComplete="new-password"
            value={form.password}
            error={show(problems.password)}
            onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
            data-testid="new-user-password"
          />
          {error && (
            <Alert color="red" role="alert" data-testid="new-user-error">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="new-user-submit">
              {t('users.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
