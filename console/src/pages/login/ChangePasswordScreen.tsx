/**
 * The step a user with an admin's temporary password sees after signing in, before any page:
 * the temporary password, a new one twice. The server refuses every other API with 403
 * `password_change_required` until this is done (src/features/auth/change-password-routes.ts).
 */
import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { call, isApiError } from '../../api/client';
import { SESSION_KEY, sessionStarted, signOut } from '../../auth/session';
import { PublicFrame } from '../public-frame';
import { useChangePasswordT, type ChangePasswordKey } from './change-password-texts';

const REFUSALS: Record<string, ChangePasswordKey> = {
  wrong_password: 'wrong',
  same_password: 'same',
  login_throttled: 'throttled',
};

export function ChangePasswordScreen() {
  const t = useChangePasswordT();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const short = next.length < 12 ? t('tooShort') : null;
  const mismatch = repeat !== next ? t('mismatch') : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (short || mismatch || !current) return;
    setBusy(true);
    setError(null);
    try {
      const session = await call('POST /api/auth/change-password', {
        body: { currentPassword: current, newPassword: next },
      });
      queryClient.setQueryData(SESSION_KEY, sessionStarted(session));
    } catch (err) {
      const key = isApiError(err) ? REFUSALS[err.code] : undefined;
      setError(key ? t(key) : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const leave = async () => {
    await signOut();
    queryClient.setQueryData(SESSION_KEY, null);
  };
  return (
    <PublicFrame title={t('title')}>
      <Text size="sm">{t('intro')}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={t('title')}>
        <Stack gap="sm">
          <PasswordInput
            label={t('current')}
            description={t('currentHint')}
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            data-testid="change-current"
          />
          <PasswordInput
            label={t('next')}
            description={t('nextHint')}
            autoComplete="new-password"
            required
            value={next}
            error={touched ? short : null}
            onChange={(e) => setNext(e.currentTarget.value)}
            data-testid="change-new"
          />
          <PasswordInput
            label={t('repeat')}
            autoComplete="new-password"
            required
            value={repeat}
            error={touched && !short ? mismatch : null}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            data-testid="change-repeat"
          />
          {error && (
            <Alert color="red" role="alert" data-testid="change-error">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy} fullWidth data-testid="change-submit">
            {t('submit')}
          </Button>
        </Stack>
      </form>
      <Anchor component="button" type="button" size="sm" onClick={() => void leave()}>
        {t('signOut')}
      </Anchor>
    </PublicFrame>
  );
}
