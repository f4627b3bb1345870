/**
 * Who is signed in. GET /api/auth/me answers the session's user and CSRF token (401: nobody);
 * any 401 later (session expired, user disabled) drops the session and the router sends the
 * person to /login. Sign-out ends the session on the server and forgets every cached answer.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, call, isApiError, onUnauthorized, setCsrfToken } from '../api/client';
import type { Role, Session } from '../api/types';

export const SESSION_KEY = ['auth', 'me'] as const;

async function fetchSession(): Promise<Session | null> {
  try {
    const session = await call('GET /api/auth/me', { quiet401: true });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (err) {
    if (isApiError(err, 401)) {
      setCsrfToken(undefined);
      return null;
    }
    throw err;
  }
}

export function useSession() {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onUnauthorized(() => {
        setCsrfToken(undefined);
        queryClient.setQueryData(SESSION_KEY, null);
      }),
    [queryClient],
  );
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: fetchSession,
    staleTime: 60_000,
    retry: false,
  });
}

/** Whether no account exists yet (first-run setup still to do). */
export async function fetchSetupStatus(): Promise<{ needed: boolean }> {
  const status = await call('GET /api/auth/setup-status');
  return { needed: status.setupRequired };
}

export async function signIn(email: string, password: string): Promise<Session> {
  const session = await call('POST /api/auth/login', {
    body: { email, password },
    quiet401: true,
  });
  if (!('user' in session)) {
    // Two-factor is on for this account: the server owes no session until the second step.
    throw new ApiError(200, 'two_factor_pending', 'A second sign-in step is needed.');
  }
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await call('POST /api/auth/logout', { quiet401: true });
  } finally {
    setCsrfToken(undefined);
  }
}

/** admin may do everything; other roles what the page lists. */
export const roleAllows = (role: Role, allowed: readonly Role[] | 'all'): boolean =>
  role === 'admin' || allowed === 'all' || allowed.includes(role);
