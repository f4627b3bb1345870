/**
 * /console/setup?token=…: the one-time link from the server log creates the first admin
 * (POST /api/auth/setup), then the person signs in with it.
 */
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { notifications } from '@mantine/notifications';
import { call, isApiError, setCsrfToken } from '../../api/client';
import { fetchSetupStatus, SESSION_KEY } from '../../auth/session';
import { LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/i18n';
import { PublicFrame } from '../public-frame';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function SetupPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const status = useQuery({
    queryKey: ['auth', 'setup-status'],
    queryFn: fetchSetupStatus,
    retry: false,
  });
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const problems = {
    name: form.name.trim() ? null : t('form.required'),
    email: EMAIL.test(form.email.trim()) ? null : t('form.invalidEmail'),
    password: form.password.length >= 12 ? null : t('form.passwordShort'),
  };
  const toLogin = (
    <Button component={Link} to="/login" variant="light" data-testid="to-login">
      {t('setup.toLogin')}
    </Button>
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problems.name || problems.email || problems.password) return;
    setBusy(true);
    setError(null);
    try {
      const session = await call('POST /api/auth/setup', {
        body: { token, name: form.name.trim(), email: form.email.trim(), password: form.password },
        quiet401: true,
      });
      // The new admin is signed in: straight into the console.
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(SESSION_KEY, session);
      notifications.show({ color: 'green', message: t('setup.done') });
      await navigate('/', { replace: true });
    } catch (err) {
      if (isApiError(err, 401) || isApiError(err, 403)) setError(t('setup.badToken'));
      else if (isApiError(err, 409)) setError(t('setup.notNeeded'));
      else setError(err instanceof Error ? err.message : t('state.error'));
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (status.isPending) {
    body = <LoadingState rows={3} />;
  } else if (status.data && !status.data.needed) {
    body = (
      <Stack gap="sm">
        <Alert color="blue" data-testid="setup-not-needed">
          {t('setup.notNeeded')}
        </Alert>
        {toLogin}
      </Stack>
    );
  } else if (!token) {
    body = (
      <Alert color="red" data-testid="setup-no-token">
        {t('setup.noToken')}
      </Alert>
    );
  } else {
    const show = (p: string | null) => (touched ? p : null);
    body = (
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={t('setup.title')}>
        <Stack gap="sm">
          <TextInput
            label={t('setup.name')}
            required
            autoComplete="name"
            value={form.name}
            error={show(problems.name)}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
          <TextInput
            label={t('setup.email')}
            type="email"
            required
            autoComplete="username"
            value={form.email}
            error={show(problems.email)}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
          />
          <PasswordInput
            label={t('setup.password')}
            description={t('setup.passwordHint')}
            required
            autoComplete="new-password"
            value={form.password}
            error={show(problems.password)}
            onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
          />
          {error && (
            <Alert color="red" role="alert" data-testid="setup-error">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy} fullWidth>
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    );
  }
  return (
    <PublicFrame title={t('setup.title')}>
      <div>{t('setup.intro')}</div>
      {body}
    </PublicFrame>
  );
}
