/**
 * The signed-in part of the console: no session → /login (coming back here after sign-in);
 * a user with an admin's temporary password → the "choose a new password" step first;
 * otherwise the app shell around the page, and each page behind its role check.
 */
import { Center, Loader } from '@mantine/core';
import { Suspense } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorState, ForbiddenState, LoadingState } from '../components/states';
import { roleAllows, useSession } from '../auth/session';
import { navPages, type ConsolePage } from '../pages/registry';
import { useI18n } from '../i18n/i18n';
import { ChangePasswordScreen } from '../pages/login/ChangePasswordScreen';
import { AppFrame } from './AppFrame';
import { CurrentUserContext, useCurrentUser } from './current-user';
import { LiveProvider } from './live';

export function SignedInLayout() {
  const session = useSession();
  const location = useLocation();
  const { t } = useI18n();
  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('state.loading')} />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh" p="md">
        <ErrorState error={session.error} onRetry={() => void session.refetch()} />
      </Center>
    );
  }
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  // An admin's temporary password: choosing a new one comes before any page.
  if (session.data.user.mustChangePassword) return <ChangePasswordScreen />;
  return (
    <CurrentUserContext.Provider value={session.data.user}>
      <LiveProvider>
        <AppFrame />
      </LiveProvider>
    </CurrentUserContext.Provider>
  );
}

/** A registry page, or the "not allowed" state when the role may not open it. */
export function PageGate({ page }: { page: ConsolePage }) {
  const user = useCurrentUser();
  if (!roleAllows(user.role, page.roles)) return <ForbiddenState />;
  const Component = page.component;
  return (
    <Suspense fallback={<LoadingState />}>
      <Component />
    </Suspense>
  );
}

/** /console → the first page the role sees in the navigation. */
export function HomeRedirect() {
  const user = useCurrentUser();
  const first = navPages((p) => roleAllows(user.role, p.roles))[0];
  return first ? <Navigate to={`/${first.path}`} replace /> : <ForbiddenState />;
}
