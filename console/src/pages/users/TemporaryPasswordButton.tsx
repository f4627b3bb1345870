/**
 * "Temporary password" on a staff account (admin): generate one or type one; the user's sessions
 * end and their next sign-in asks for a new password before anything else. A generated password
 * is shown once, with a copy button.
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
  Stack,
  Text,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { setTemporaryPassword } from './api';
import { useTemporaryPasswordT } from './password-texts';

function TemporaryPasswordForm({ u, onClose }: { u: User; onClose(): void }) {
  const t = useTemporaryPasswordT();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'generate' | 'type'>('generate');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const run = useMutation({
    mutationFn: () => setTemporaryPassword(u.id, mode === 'type' ? password : undefined),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const short = mode === 'type' && password.length < 12 ? t('tooShort') : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!short) run.mutate();
  };
  if (run.data) {
    const generated = run.data.temporaryPassword;
    return (
      <Stack gap="sm" data-testid="temporary-password-done">
        <Alert color="teal" role="status">
          {t('done', { name: u.name })}
        </Alert>
        {generated && (
          <Stack gap={4}>
            <Text size="sm">{t('shownOnce')}</Text>
            <Group gap="xs" wrap="nowrap">
              <Code fz="lg" data-testid="temporary-password-value">
                {generated}
              </Code>
              <CopyButton value={generated}>
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
          <Button onClick={onClose}>{t('close')}</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-label={t('title', { name: u.name })}>
      <Stack gap="sm">
        <Text size="sm">{t('intro', { name: u.name })}</Text>
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as 'generate' | 'type')}
          data={[
            { value: 'generate', label: t('generate') },
            { value: 'type', label: t('type') },
          ]}
          data-testid="temporary-password-mode"
        />
        {mode === 'type' && (
          <PasswordInput
            label={t('password')}
            description={t('passwordHint')}
            autoComplete="new-password"
            value={password}
            error={touched ? short : null}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="temporary-password-input"
          />
        )}
        {run.isError && (
          <Alert color="red" role="alert">
            {t('failed', { message: run.error.message })}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={run.isPending} data-testid="temporary-password-confirm">
            {t('confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function TemporaryPasswordButton({ u, disabled }: { u: User; disabled: boolean }) {
  const t = useTemporaryPasswordT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="compact-xs"
        variant="default"
        onClick={() => setOpen(true)}
        disabled={disabled}
        aria-label={t('openLabel', { name: u.name })}
        data-testid="user-temporary-password"
      >
        {t('open')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('title', { name: u.name })}>
        {open && <TemporaryPasswordForm u={u} onClose={() => setOpen(false)} />}
      </Modal>
    </>
  );
}
