/** /console/login: email + password → session cookie; back to the page that asked (?next=). */
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { fetchSetupStatus, SESSION_KEY, signIn, useSession } from '../../auth/session';
import { useI18n } from '../../i18n/i18n';
import { PublicFrame } from '../public-frame';
import { ForgotPasswordHint } from './PasswordResetPages';

/** Only paths inside the console: never an absolute URL someone slipped into the link. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const setup = useQuery({
    queryKey: ['auth', 'setup-status'],
    queryFn: fetchSetupStatus,
    retry: false,
  });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (session.data) return <Navigate to={next} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const s = await signIn(email.trim(), password);
      queryClient.setQueryData(SESSION_KEY, s);
      await navigate(next, { replace: true });
    } catch (err) {
      if (isApiError(err, 401)) setError(t('login.invalid'));
      else if (isApiError(err, 429)) setError(t('login.throttled'));
      else if (isApiError(err) && err.code === 'two_factor_pending') setError(t('login.twoFactor'));
      else setError(err instanceof Error ? err.message : t('state.error'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicFrame title={t('login.title')}>
      {setup.data?.needed && (
        <Alert color="yellow" title={t('login.setupNeeded')} data-testid="setup-needed">
          {t('login.setupHint')}
        </Alert>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={t('login.title')}>
        <Stack gap="sm">
          <TextInput
            label={t('login.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            data-testid="login-email"
          />
          <PasswordInput
            label={t('login.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="login-password"
          />
          {error && (
            <Alert color="red" role="alert" data-testid="login-error">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy} fullWidth data-testid="login-submit">
            {t('login.submit')}
          </Button>
          <ForgotPasswordHint />
        </Stack>
      </form>
    </PublicFrame>
  );
}
