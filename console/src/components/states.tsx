/** The shared loading, empty, error and "not allowed" states every page uses. */
import { Alert, Button, Center, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useOptionalUser } from '../shell/current-user';

export function LoadingState({ rows = 5, label }: { rows?: number; label?: string }) {
  const { t } = useI18n();
  return (
    <Stack gap="sm" aria-busy="true" aria-live="polite" data-testid="loading">
      <Text size="sm" c="dimmed" className="visually-hidden">
        {label ?? t('state.loading')}
      </Text>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={i === 0 ? 28 : 18} width={i === 0 ? '40%' : '100%'} radius="sm" />
      ))}
    </Stack>
  );
}

export function EmptyState({
  title,
  hint,
  action,
}: {
  title: string;
  hint?: string;
  action?: ReactNode;
}) {
  return (
    <Center py="xl" data-testid="empty-state">
      <Stack align="center" gap="xs" maw={420} ta="center">
        <svg width="56" height="56" viewBox="0 0 56 56" aria-hidden="true">
          <rect x="6" y="12" width="44" height="30" rx="8" fill="var(--mantine-color-blue-0)" />
          <path
            d="M16 24h24M16 31h14"
            stroke="var(--mantine-color-blue-4)"
            strokeWidth="3"
            strokeLinecap="round"
          />
          <path d="M18 42l-4 8 12-8z" fill="var(--mantine-color-blue-0)" />
        </svg>
        <Title order={3} size="h4">
          {title}
        </Title>
        {hint && (
          <Text c="dimmed" size="sm">
            {hint}
          </Text>
        )}
        {action}
      </Stack>
    </Center>
  );
}

export function ForbiddenState() {
  const { t } = useI18n();
  const user = useOptionalUser();
  return (
    <Center py="xl" data-testid="forbidden">
      <Stack align="center" gap="xs" maw={460} ta="center">
        <Title order={1} size="h3">
          {t('state.forbidden')}
        </Title>
        <Text c="dimmed">
          {t('state.forbiddenHint', { role: user ? t(`role.${user.role}`) : '—' })}
        </Text>
        <Button component={Link} to="/" variant="light">
          {t('state.backHome')}
        </Button>
      </Stack>
    </Center>
  );
}

export function NotFoundState() {
  const { t } = useI18n();
  return (
    <Center py="xl" data-testid="not-found">
      <Stack align="center" gap="xs" maw={460} ta="center">
        <Title order={1} size="h3">
          {t('state.notFound')}
        </Title>
        <Text c="dimmed">{t('state.notFoundHint')}</Text>
        <Button component={Link} to="/" variant="light">
          {t('state.backHome')}
        </Button>
      </Stack>
    </Center>
  );
}

/** A failed query: 403 and 404 get their own states, anything else a retry button. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (isApiError(error, 403)) return <ForbiddenState />;
  if (isApiError(error, 404)) return <NotFoundState />;
  return (
    <Alert color="red" title={t('state.error')} role="alert" data-testid="error-state">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{t('state.errorHint')}</Text>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            {t('state.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
