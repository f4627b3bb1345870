/**
 * Who is signed in. GET /api/auth/me answers the session's user and CSRF token (401: nobody);
 * any 401 later (session expired, user disabled) drops the session and the router sends the
 * person to /login. Sign-out ends the session on the server and forgets every cached answer.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { call, isApiError, onUnauthorized, setCsrfToken } from '../api/client';
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

/** What the password step owes when two-factor applies: a code, or an enrolment first. */
export interface PendingSignIn {
  twoFactor: 'verify' | 'enrol';
  pendingToken: string;
}

/** A session, or (two-factor on or required) the pending second step: no session yet. */
export async function signIn(email: string, password: string): Promise<Session | PendingSignIn> {
  const answer = await call('POST /api/auth/login', {
    body: { email, password },
    quiet401: true,
  });
  if (!('user' in answer)) return answer;
  setCsrfToken(answer.csrfToken);
  return answer;
}

/** The session a finished second step (code or enrolment) answered. */
export function sessionStarted(session: Session): Session {
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
