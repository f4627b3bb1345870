/**
 * /console/login: email + password → session cookie, or the two-factor step first
 * (TwoFactorStep.tsx); "Sign in with SSO" when the server has OpenID Connect configured; back to
 * the page that asked (?next=). `?sso=failed|disabled|pending` is how a single sign-on that did
 * not end in a session comes back.
 */
import { Alert, Button, Divider, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { call, isApiError } from '../../api/client';
import type { Session } from '../../api/types';
import {
  fetchSetupStatus,
  SESSION_KEY,
  signIn,
  useSession,
  type PendingSignIn,
} from '../../auth/session';
import { useI18n } from '../../i18n/i18n';
import { PublicFrame } from '../public-frame';
import { ForgotPasswordHint } from './PasswordResetPages';
import { TwoFactorStep } from './TwoFactorStep';
import { useTwoFactorTexts } from './two-factor-texts';

const SSO_OUTCOMES = {
  failed: 'ssoFailed',
  disabled: 'ssoDisabled',
  pending: 'ssoPending',
} as const;

/** "Sign in with SSO", when the server says single sign-on is configured. */
function SsoButton({ next }: { next: string }) {
  const tf = useTwoFactorTexts();
  const sso = useQuery({
    queryKey: ['auth', 'sso'],
    queryFn: () => call('GET /api/auth/sso'),
    retry: false,
  });
  if (!sso.data?.enabled) return null;
  const href = `/api/auth/sso/start?next=${encodeURIComponent(`/console${next}`)}`;
  return (
    <>
      <Divider label={tf('or')} labelPosition="center" />
      <Button component="a" href={href} variant="default" fullWidth data-testid="login-sso">
        {tf('ssoButton')}
      </Button>
    </>
  );
}

/** Only paths inside the console: never an absolute URL someone slipped into the link. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { t } = useI18n();
  const tf = useTwoFactorTexts();
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
  const [pending, setPending] = useState<PendingSignIn>();
  const next = safeNext(params.get('next'));
  const ssoOutcome = params.get('sso');
  const ssoMessage =
    ssoOutcome && ssoOutcome in SSO_OUTCOMES
      ? tf(SSO_OUTCOMES[ssoOutcome as keyof typeof SSO_OUTCOMES])
      : undefined;

  if (session.data) return <Navigate to={next} replace />;

  const signedIn = async (s: Session) => {
    queryClient.setQueryData(SESSION_KEY, s);
    await navigate(next, { replace: true });
  };

  if (pending) {
    return (
      <PublicFrame title={pending.twoFactor === 'verify' ? tf('verifyTitle') : tf('enrolTitle')}>
        <TwoFactorStep
          pending={pending}
          onSignedIn={(s) => void signedIn(s)}
          onBack={() => {
            setPending(undefined);
            setPassword('');
          }}
        />
      </PublicFrame>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const answer = await signIn(email.trim(), password);
      if ('user' in answer) await signedIn(answer);
      else setPending(answer);
    } catch (err) {
      if (isApiError(err, 401)) setError(t('login.invalid'));
      else if (isApiError(err, 429)) setError(t('login.throttled'));
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
      {ssoMessage && (
        <Alert color="yellow" role="alert" data-testid="login-sso-outcome">
          {ssoMessage}
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
          <SsoButton next={next} />
        </Stack>
      </form>
    </PublicFrame>
  );
}
