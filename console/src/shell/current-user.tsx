/** The signed-in user, provided by the authenticated layout to every page below it. */
import { createContext, useContext } from 'react';
import type { User } from '../api/types';

export const CurrentUserContext = createContext<User | null>(null);

export function useOptionalUser(): User | null {
  return useContext(CurrentUserContext);
}

export function useCurrentUser(): User {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error('useCurrentUser outside a signed-in page');
  return user;
}
