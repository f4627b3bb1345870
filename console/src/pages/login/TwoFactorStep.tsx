/**
 * The second sign-in step after a right password: a TOTP or recovery code (`verify`), or, when an
 * admin requires two-factor and the account has none, its enrolment (`enrol`), ending with the
 * recovery codes shown once. No session exists until this step is done.
 */
import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { call, isApiError } from '../../api/client';
import type { Session } from '../../api/types';
import { sessionStarted, type PendingSignIn } from '../../auth/session';
import { EnrolmentPanel, RecoveryCodes } from './EnrolmentPanel';
import { useTwoFactorTexts, type TwoFactorTextKey } from './two-factor-texts';

function errorKey(err: unknown): TwoFactorTextKey | undefined {
  if (isApiError(err) && err.code === 'two_factor_expired') return 'expired';
  if (isApiError(err, 429)) return 'throttled';
  if (isApiError(err) && (err.status === 400 || err.status === 401)) return 'wrongCode';
  return undefined;
}

function VerifyForm(props: { pending: PendingSignIn; onSignedIn: (s: Session) => void }) {
  const t = useTwoFactorTexts();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await call('POST /api/auth/two-factor/verify', {
        body: { pendingToken: props.pending.pendingToken, code: code.trim() },
        quiet401: true,
      });
      props.onSignedIn(sessionStarted(session));
    } catch (err) {
      const key = errorKey(err);
      setError(key ? t(key) : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={t('verifyTitle')}>
      <Stack gap="sm">
        <Text size="sm">{t('verifyIntro')}</Text>
        <TextInput
          label={t('code')}
          autoComplete="one-time-code"
          autoFocus
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          data-testid="two-factor-code"
        />
        {error && (
          <Alert color="red" role="alert" data-testid="two-factor-error">
            {error}
          </Alert>
        )}
        <Button type="submit" loading={busy} fullWidth data-testid="two-factor-submit">
          {t('verify')}
        </Button>
      </Stack>
    </form>
  );
}

function PendingEnrolment(props: { pending: PendingSignIn; onSignedIn: (s: Session) => void }) {
  const t = useTwoFactorTexts();
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string }>();
  const [done, setDone] = useState<{ session: Session; codes: string[] }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const token = props.pending.pendingToken;
  useEffect(() => {
    call('POST /api/auth/two-factor/pending-enrolment', {
      body: { pendingToken: token },
      quiet401: true,
    }).then(setEnrolment, (err: unknown) => setError(t(errorKey(err) ?? 'expired')));
  }, [token]);
  const confirm = async (code: string) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await call('POST /api/auth/two-factor/pending-enrolment/confirm', {
        body: { pendingToken: token, code },
        quiet401: true,
      });
      setDone({
        session: { user: answer.user, csrfToken: answer.csrfToken },
        codes: answer.recoveryCodes,
      });
    } catch (err) {
      const key = errorKey(err);
      setError(key ? t(key) : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  if (done) {
    return (
      <RecoveryCodes
        codes={done.codes}
        onDone={() => props.onSignedIn(sessionStarted(done.session))}
      />
    );
  }
  return (
    <Stack gap="sm">
      <Alert color="blue">{t('enrolRequired')}</Alert>
      {enrolment ? (
        <EnrolmentPanel
          {...enrolment}
          busy={busy}
          error={error}
          onConfirm={(c) => void confirm(c)}
        />
      ) : (
        error && (
          <Alert color="red" role="alert" data-testid="two-factor-error">
            {error}
          </Alert>
        )
      )}
    </Stack>
  );
}

export function TwoFactorStep(props: {
  pending: PendingSignIn;
  onSignedIn: (s: Session) => void;
  onBack: () => void;
}) {
  const t = useTwoFactorTexts();
  return (
    <Stack gap="sm" data-testid={`two-factor-${props.pending.twoFactor}`}>
      {props.pending.twoFactor === 'verify' ? (
        <VerifyForm pending={props.pending} onSignedIn={props.onSignedIn} />
      ) : (
        <PendingEnrolment pending={props.pending} onSignedIn={props.onSignedIn} />
      )}
      <Button variant="subtle" onClick={props.onBack}>
        {t('back')}
      </Button>
    </Stack>
  );
}
