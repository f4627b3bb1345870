/**
 * Self-service password reset (src/features/auth/password-reset-routes.ts):
 *   /console/forgot-password — an email address → the same "check your inbox" whatever it is;
 *   /console/reset-password?token=… — the emailed link: a new password, then sign in; with
 *   `&invitation=1` (a staff invitation's link) worded as a welcome.
 * Without mail set up on the server the first page says so (ask an admin instead).
 */
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { call, isApiError } from '../../api/client';
import { LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/i18n';
import { PublicFrame } from '../public-frame';
import { useForgotPasswordStatus } from './mail-status';

const toLogin = (label: string) => (
  <Anchor component={Link} to="/login" size="sm" data-testid="to-login">
    {label}
  </Anchor>
);

export function ForgotPasswordPage() {
  const { t, language } = useI18n();
  const status = useForgotPasswordStatus();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setError(t('form.invalidEmail'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call('POST /api/auth/forgot-password', {
        body: { email: email.trim(), locale: language },
      });
      setSent(true);
    } catch (err) {
      setError(err instanceof Error ? err.message : t('state.error'));
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (status.isPending) body = <LoadingState rows={2} />;
  else if (!status.data?.available) {
    body = (
      <Alert color="yellow" data-testid="forgot-unavailable">
        {t('forgot.unavailable')}
      </Alert>
    );
  } else if (sent) {
    body = (
      <Alert color="green" data-testid="forgot-sent">
        {t('forgot.sent')}
      </Alert>
    );
  } else {
    body = (
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={t('forgot.title')}>
        <Stack gap="sm">
          <TextInput
            label={t('login.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            error={error}
            onChange={(e) => setEmail(e.currentTarget.value)}
            data-testid="forgot-email"
          />
          <Button type="submit" loading={busy} fullWidth data-testid="forgot-submit">
            {t('forgot.submit')}
          </Button>
        </Stack>
      </form>
    );
  }
  return (
    <PublicFrame title={t('forgot.title')}>
      <Text size="sm">{t('forgot.intro')}</Text>
      {body}
      {toLogin(t('setup.toLogin'))}
    </PublicFrame>
  );
}

export function ResetPasswordPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  // An invitation's link (src/features/auth/invitations.ts) lands here too.
  const invited = params.get('invitation') === '1';
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const short = password.length < 12 ? t('form.passwordShort') : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (short) return;
    setBusy(true);
    setError(null);
    try {
      await call('POST /api/auth/reset-password', { body: { token, password } });
      setDone(true);
    } catch (err) {
      if (isApiError(err, 400)) setError(t(invited ? 'reset.inviteBadToken' : 'reset.badToken'));
      else setError(err instanceof Error ? err.message : t('state.error'));
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (done) {
    body = (
      <Alert color="green" data-testid="reset-done">
        {t(invited ? 'reset.inviteDone' : 'reset.done')}
      </Alert>
    );
  } else if (!token) {
    body = (
      <Alert color="red" data-testid="reset-no-token">
        {t(invited ? 'reset.inviteBadToken' : 'reset.badToken')}
      </Alert>
    );
  } else {
    body = (
      <form
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-label={t(invited ? 'reset.inviteTitle' : 'reset.title')}
      >
        <Stack gap="sm">
          <PasswordInput
            label={t('reset.password')}
            description={t('setup.passwordHint')}
            required
            autoComplete="new-password"
            value={password}
            error={touched ? short : null}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="reset-password"
          />
          {error && (
            <Alert color="red" role="alert" data-testid="reset-error">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy} fullWidth data-testid="reset-submit">
            {t('reset.submit')}
          </Button>
        </Stack>
      </form>
    );
  }
  return (
    <PublicFrame title={t(invited ? 'reset.inviteTitle' : 'reset.title')}>
      {body}
      {toLogin(t('setup.toLogin'))}
    </PublicFrame>
  );
}

/** The login page's line: a link when reset by email works, else why it does not. */
export function ForgotPasswordHint() {
  const { t } = useI18n();
  const status = useForgotPasswordStatus();
  if (status.isPending) return null;
  return status.data?.available ? (
    <Anchor component={Link} to="/forgot-password" size="sm" data-testid="forgot-link">
      {t('login.forgot')}
    </Anchor>
  ) : (
    <Text size="sm" c="dimmed" data-testid="forgot-unavailable-hint">
      {t('login.forgotUnavailable')}
    </Text>
  );
}
