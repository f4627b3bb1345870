/** Whether the server can mail staff links (resets, invitations): mail and PUBLIC_URL configured. */
import { useQuery } from '@tanstack/react-query';
import { call } from '../../api/client';

export const FORGOT_STATUS_KEY = ['auth', 'forgot-password'] as const;

export const useForgotPasswordStatus = () =>
  useQuery({
    queryKey: FORGOT_STATUS_KEY,
    queryFn: () => call('GET /api/auth/forgot-password', { quiet401: true }),
    retry: false,
  });
