/**
 * Providers (Mantine, TanStack Query, i18n) and the routes: /login and /setup are public; every
 * page of the registry sits in the signed-in layout, behind its role check.
 */
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { isApiError } from './api/client';
import { I18nProvider } from './i18n/i18n';
import { LoginPage } from './pages/login/LoginPage';
import { SetupPage } from './pages/setup/SetupPage';
import { ForgotPasswordPage, ResetPasswordPage } from './pages/login/PasswordResetPages';
import { PAGES } from './pages/registry';
import { HomeRedirect, PageGate, SignedInLayout } from './shell/SignedInLayout';
import { NotFoundState } from './components/states';
import { theme } from './theme';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 401/403/404 will not change by asking again.
      retry: (count, err) => !isApiError(err) || (err.status >= 500 && count < 2),
      refetchOnWindowFocus: true,
      staleTime: 5_000,
    },
  },
});

const router = createBrowserRouter(
  [
    { path: '/login', element: <LoginPage /> },
    { path: '/setup', element: <SetupPage /> },
    { path: '/forgot-password', element: <ForgotPasswordPage /> },
    { path: '/reset-password', element: <ResetPasswordPage /> },
    {
      path: '/',
      element: <SignedInLayout />,
      children: [
        { index: true, element: <HomeRedirect /> },
        ...PAGES.map((page) => ({ path: page.path, element: <PageGate page={page} /> })),
        { path: '*', element: <NotFoundState /> },
      ],
    },
  ],
  { basename: '/console' },
);

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      {/* Bottom right: at the top they covered the language switch and the user menu. */}
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queryClient}>
        <I18nProvider>
          <RouterProvider router={router} />
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
