/** The signed-in user, provided by the authenticated layout to every page below it. */
import { createContext, useContext } from 'react';
import type { SessionUser } from '../api/types';

export const CurrentUserContext = createContext<SessionUser | null>(null);

export function useOptionalUser(): SessionUser | null {
  return useContext(CurrentUserContext);
}

export function useCurrentUser(): SessionUser {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error('useCurrentUser outside a signed-in page');
  return user;
}
