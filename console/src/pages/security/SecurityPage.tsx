/**
 * /console/security: your own two-factor sign-in (set up, new recovery codes, turn off — each
 * with a current code) and, for admins, "require two-factor for all staff".
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { call, isApiError } from '../../api/client';
import { PageHeader } from '../../components/page-header';
import { useCurrentUser } from '../../shell/current-user';
import { EnrolmentPanel, RecoveryCodes } from '../login/EnrolmentPanel';
import { useTwoFactorTexts } from '../login/two-factor-texts';

const STATUS_KEY = ['auth', 'two-factor'] as const;

/** Long labels (Spanish, on a phone) wrap instead of being cut off. */
const wrapping = {
  root: { height: 'auto', minHeight: 36, paddingBlock: 6 },
  label: { whiteSpace: 'normal' as const, textAlign: 'center' as const },
};

type CodeAction = 'disable' | 'regenerate';

/** A current code for turning off or for new recovery codes. */
function CodeForm(props: {
  action: CodeAction;
  onDone: (codes?: string[]) => void;
  onCancel: () => void;
}) {
  const t = useTwoFactorTexts();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (props.action === 'disable') {
        await call('POST /api/auth/two-factor/disable', { body: { code: code.trim() } });
        props.onDone();
      } else {
        const res = await call('POST /api/auth/two-factor/recovery-codes', {
          body: { code: code.trim() },
        });
        props.onDone(res.recoveryCodes);
      }
    } catch (err) {
      if (isApiError(err) && err.code === 'two_factor_required') setError(t('requiredCannotOff'));
      else if (isApiError(err, 400)) setError(t('wrongCode'));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const hint = props.action === 'disable' ? t('turnOffHint') : t('regenerateHint');
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={hint}>
      <Stack gap="sm">
        <Text size="sm">{hint}</Text>
        <TextInput
          label={t('code')}
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          data-testid="security-code"
        />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group>
          <Button
            type="submit"
            loading={busy}
            color={props.action === 'disable' ? 'red' : undefined}
          >
            {props.action === 'disable' ? t('turnOff') : t('regenerate')}
          </Button>
          <Button variant="default" onClick={props.onCancel}>
            {t('cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Enrol(props: { onDone: (codes: string[]) => void; onCancel: () => void }) {
  const t = useTwoFactorTexts();
  const start = useQuery({
    queryKey: ['auth', 'two-factor', 'enrolment'],
    queryFn: () => call('POST /api/auth/two-factor/enrolment'),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async (code: string) => {
    setBusy(true);
    setError(null);
    try {
      const res = await call('POST /api/auth/two-factor/enrolment/confirm', { body: { code } });
      props.onDone(res.recoveryCodes);
    } catch (err) {
      setError(isApiError(err, 400) ? t('wrongCode') : err instanceof Error ? err.message : '');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="sm">
      {start.data && (
        <EnrolmentPanel
          {...start.data}
          busy={busy}
          error={error}
          onConfirm={(c) => void confirm(c)}
        />
      )}
      {start.error && (
        <Alert color="red" role="alert">
          {start.error.message}
        </Alert>
      )}
      <Button variant="subtle" onClick={props.onCancel}>
        {t('cancel')}
      </Button>
    </Stack>
  );
}

function StaffPolicy() {
  const t = useTwoFactorTexts();
  const queryClient = useQueryClient();
  const policy = useQuery({
    queryKey: ['auth', 'two-factor', 'policy'],
    queryFn: () => call('GET /api/auth/two-factor/policy'),
  });
  const save = useMutation({
    mutationFn: (required: boolean) =>
      call('PUT /api/auth/two-factor/policy', { body: { required } }),
    onSuccess: (data) => {
      queryClient.setQueryData(['auth', 'two-factor', 'policy'], data);
      void queryClient.invalidateQueries({ queryKey: STATUS_KEY });
    },
  });
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('policyTitle')}
        </Title>
        <Switch
          label={t('policyLabel')}
          description={t('policyHint')}
          checked={policy.data?.required ?? false}
          disabled={!policy.data || save.isPending}
          onChange={(e) => save.mutate(e.currentTarget.checked)}
          data-testid="two-factor-policy"
        />
        {save.isSuccess && (
          <Text size="sm" c="teal" role="status">
            {t('policySaved')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

export default function SecurityPage() {
  const t = useTwoFactorTexts();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: STATUS_KEY,
    queryFn: () => call('GET /api/auth/two-factor'),
  });
  const [mode, setMode] = useState<'idle' | 'enrol' | CodeAction>('idle');
  const [codes, setCodes] = useState<string[]>();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: STATUS_KEY });
  const finished = (newCodes?: string[]) => {
    setMode('idle');
    setCodes(newCodes);
    refresh();
  };
  const s = status.data;
  return (
    <Stack gap="md" maw={640}>
      <PageHeader title={t('pageTitle')} />
      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h4">
              {t('status')}
            </Title>
            {s && (
              <Badge color={s.enabled ? 'teal' : 'gray'} data-testid="two-factor-status">
                {s.enabled ? t('statusOn') : t('statusOff')}
              </Badge>
            )}
          </Group>
          {status.error && (
            <Alert color="red" role="alert">
              {isApiError(status.error, 403) ? t('staffOnly') : status.error.message}
            </Alert>
          )}
          {s?.enabled && <Text size="sm">{t('codesLeft', { count: s.recoveryCodesLeft })}</Text>}
          {codes && <RecoveryCodes codes={codes} onDone={() => setCodes(undefined)} />}
          {!codes && mode === 'enrol' && (
            <Enrol onDone={finished} onCancel={() => setMode('idle')} />
          )}
          {!codes && (mode === 'disable' || mode === 'regenerate') && (
            <CodeForm action={mode} onDone={finished} onCancel={() => setMode('idle')} />
          )}
          {!codes && mode === 'idle' && s && (
            <Group>
              {!s.enabled && (
                <Button
                  styles={wrapping}
                  onClick={() => setMode('enrol')}
                  data-testid="two-factor-enable"
                >
                  {t('turnOn')}
                </Button>
              )}
              {s.enabled && (
                <Button styles={wrapping} variant="light" onClick={() => setMode('regenerate')}>
                  {t('regenerate')}
                </Button>
              )}
              {s.enabled && !s.required && (
                <Button
                  styles={wrapping}
                  variant="default"
                  color="red"
                  onClick={() => setMode('disable')}
                >
                  {t('turnOff')}
                </Button>
              )}
            </Group>
          )}
          {s?.enabled && s.required && (
            <Text size="sm" c="dimmed">
              {t('requiredCannotOff')}
            </Text>
          )}
        </Stack>
      </Paper>
      {user.role === 'admin' && <StaffPolicy />}
    </Stack>
  );
}
