/** Staff accounts (admin): /api/users. */
import { call } from '../../api/client';
import type { BodyOf } from '../../api/endpoints';

export const listUsers = () => call('GET /api/users', { query: { limit: 200 } });

export const createUser = (body: BodyOf<'POST /api/users'>) => call('POST /api/users', { body });

export const updateUser = (id: string, patch: BodyOf<'PATCH /api/users/:id'>) =>
  call('PATCH /api/users/:id', { params: { id }, body: patch });

/** A temporary password (given, or generated when left out): a new one is required at sign-in. */
export const setTemporaryPassword = (id: string, password?: string) =>
  call('POST /api/users/:id/temporary-password', {
    params: { id },
    body: password === undefined ? {} : { password },
  });

export const deleteUser = (id: string) => call('DELETE /api/users/:id', { params: { id } });
