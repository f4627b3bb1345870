/**
 * The "new user" form: name, email, role and how they get in — an invitation by email (a link to
 * choose their own password, in the language chosen here), a generated temporary password (when
 * the server cannot send mail), or a password typed now (12+ characters). After creating, it says
 * whether the invitation was sent, or shows the temporary password once.
 */
import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { isApiError } from '../../api/client';
import { ROLES, type Role } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { useForgotPasswordStatus } from '../login/mail-status';
import { useInviteT } from './invite-texts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMPTY = { name: '', email: '', role: 'agent' as Role, password: '' };

export interface NewUserBody {
  name: string;
  email: string;
  role: Role;
  password?: string;
  locale?: 'es' | 'en';
}
export interface CreatedUser {
  email: string;
  name: string;
  invitation: 'sent' | 'failed' | 'none';
  invitationExpiresAt: string | null;
  temporaryPassword: string | null;
}

/** What happened: the invitation sent, or the temporary password shown once. */
function Outcome({ created, onClose }: { created: CreatedUser; onClose(): void }) {
  const t = useInviteT();
  const { formatDateTime } = useI18n();
  const message =
    created.invitation === 'sent'
      ? t('sent', {
          email: created.email,
          until: formatDateTime(created.invitationExpiresAt),
        })
      : created.invitation === 'failed'
        ? t('failed', { email: created.email, name: created.name })
        : created.temporaryPassword
          ? t('temporaryDone', { name: created.name })
          : t('created');
  const password = created.temporaryPassword;
  return (
    <Stack gap="sm" data-testid="new-user-outcome" data-invitation={created.invitation}>
      <Alert
        color={created.invitation === 'failed' ? 'yellow' : 'teal'}
        role="status"
        style={{ overflowWrap: 'anywhere' }}
      >
        {message}
      </Alert>
      {password && (
        <Stack gap={4}>
          <Text size="sm">{t('shownOnce')}</Text>
          <Group gap="xs" wrap="nowrap">
            <Code fz="lg" data-testid="new-user-temporary-password">
              {password}
            </Code>
            <CopyButton value={password}>
              {({ copied, copy }) => (
                <Button size="compact-sm" variant="default" onClick={copy}>
                  {copied ? t('copied') : t('copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Stack>
      )}
      <Group justify="flex-end">
        <Button onClick={onClose} data-testid="new-user-close">
          {t('close')}
        </Button>
      </Group>
    </Stack>
  );
}

/** How the new user gets in: an invitation (or, without mail, a temporary password) or a typed password. */
function AccessChoice({
  access,
  setAccess,
  canInvite,
  locale,
  setLocale,
  password,
}: {
  access: 'invite' | 'password';
  setAccess(v: 'invite' | 'password'): void;
  canInvite: boolean;
  locale: 'es' | 'en';
  setLocale(v: 'es' | 'en'): void;
  password: ReactNode;
}) {
  const it = useInviteT();
  return (
    <>
      <Stack gap={4} role="group" aria-label={it('access')}>
        <Text size="sm" fw={500}>
          {it('access')}
        </Text>
        <SegmentedControl
          value={access}
          onChange={(v) => setAccess(v as 'invite' | 'password')}
          data={[
            { value: 'invite', label: canInvite ? it('invite') : it('temporary') },
            { value: 'password', label: it('typed') },
          ]}
          fullWidth
          data-testid="new-user-access"
          styles={{ label: { whiteSpace: 'normal' } }}
        />
      </Stack>
      {access === 'password' ? (
        password
      ) : canInvite ? (
        <>
          <Text size="xs" c="dimmed">
            {it('inviteHint')}
          </Text>
          <Select
            label={it('language')}
            data={[
              { value: 'es', label: 'Español' },
              { value: 'en', label: 'English' },
            ]}
            value={locale}
            onChange={(v) => v && setLocale(v as 'es' | 'en')}
            allowDeselect={false}
            data-testid="new-user-locale"
          />
        </>
      ) : (
        <Text size="xs" c="dimmed" data-testid="new-user-no-mail">
          {it('temporaryHint')}
        </Text>
      )}
    </>
  );
}

export function NewUserModal({
  opened,
  onClose,
  onCreate,
}: {
  opened: boolean;
  onClose(): void;
  onCreate(body: NewUserBody): Promise<CreatedUser>;
}) {
  const { t, language } = useI18n();
  const mailStatus = useForgotPasswordStatus();
  const canInvite = mailStatus.data?.available === true;
  const [form, setForm] = useState(EMPTY);
  const [access, setAccess] = useState<'invite' | 'password'>('invite');
  const [locale, setLocale] = useState<'es' | 'en'>(language);
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const typed = access === 'password';
  const problems = {
    name: form.name.trim() ? null : t('form.required'),
    email: EMAIL.test(form.email.trim()) ? null : t('form.invalidEmail'),
    password: !typed || form.password.length >= 12 ? null : t('form.passwordShort'),
  };
  const show = (p: string | null) => (touched ? p : null);
  const close = () => {
    setForm(EMPTY);
    setAccess('invite');
    setTouched(false);
    setError(null);
    setCreated(null);
    onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problems.name || problems.email || problems.password) return;
    setBusy(true);
    setError(null);
    try {
      const { password, ...who } = form;
      setCreated(
        await onCreate({
          ...who,
          name: form.name.trim(),
          email: form.email.trim(),
          ...(typed ? { password } : canInvite ? { locale } : {}),
        }),
      );
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
      {created ? (
        <Outcome created={created} onClose={close} />
      ) : (
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
            <AccessChoice
              access={access}
              setAccess={setAccess}
              canInvite={canInvite}
              locale={locale}
              setLocale={setLocale}
              password={
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
              }
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
      )}
    </Modal>
  );
}
