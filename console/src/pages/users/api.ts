/** Staff accounts (admin): /api/users. */
import { api } from '../../api/client';
import type { Page, Role, User } from '../../api/types';

export const listUsers = () => api<Page<User>>('/api/users', { query: { limit: 200 } });

export const createUser = (body: { email: string; name: string; role: Role; password: string }) =>
  api<User>('/api/users', { method: 'POST', body });

export const updateUser = (id: string, patch: { role?: Role; name?: string; disabled?: boolean }) =>
  api<User>(`/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });

export const deleteUser = (id: string) =>
  api<void>(`/api/users/${encodeURIComponent(id)}`, { method: 'DELETE' });
