/**
 * Turning two-factor on (at sign-in when an admin requires it, or from the security page): the
 * secret key and otpauth link for an authenticator app, a first code to confirm; then the
 * recovery codes, shown once.
 */
import {
  Alert,
  Anchor,
  Button,
  Code,
  CopyButton,
  List,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTwoFactorTexts } from './two-factor-texts';

export function EnrolmentPanel(props: {
  secret: string;
  uri: string;
  busy: boolean;
  error: string | null;
  onConfirm: (code: string) => void;
}) {
  const t = useTwoFactorTexts();
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onConfirm(code.trim());
  };
  // The secret in groups of four, easier to type.
  const grouped = props.secret.replace(/(.{4})/g, '$1 ').trim();
  return (
    <form onSubmit={submit} noValidate aria-label={t('enrolTitle')}>
      <Stack gap="sm">
        <Text size="sm">{t('enrolStep1')}</Text>
        <div>
          <Text size="sm" fw={600} id="tf-secret-label">
            {t('secret')}
          </Text>
          <Code
            block
            aria-labelledby="tf-secret-label"
            data-testid="two-factor-secret"
            style={{
              whiteSpace: 'pre-wrap',
              overflowWrap: 'anywhere',
              fontSize: 16,
              letterSpacing: 1,
            }}
          >
            {grouped}
          </Code>
        </div>
        <Anchor href={props.uri} size="sm" data-testid="two-factor-uri">
          {t('openInApp')}
        </Anchor>
        <Text size="sm">{t('enrolStep2')}</Text>
        <TextInput
          label={t('codeShort')}
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          data-testid="two-factor-enrol-code"
        />
        {props.error && (
          <Alert color="red" role="alert" data-testid="two-factor-error">
            {props.error}
          </Alert>
        )}
        <Button
          type="submit"
          loading={props.busy}
          styles={{ root: { height: 'auto', minHeight: 36 }, label: { whiteSpace: 'normal' } }}
          data-testid="two-factor-confirm"
        >
          {t('confirm')}
        </Button>
      </Stack>
    </form>
  );
}

export function RecoveryCodes(props: { codes: string[]; onDone: () => void }) {
  const t = useTwoFactorTexts();
  return (
    <Stack gap="sm" data-testid="recovery-codes">
      <Text fw={600}>{t('recoveryTitle')}</Text>
      <Text size="sm">{t('recoveryIntro')}</Text>
      <List aria-label={t('recoveryList')} spacing={2} listStyleType="none" ff="monospace">
        {props.codes.map((c) => (
          <List.Item key={c}>{c}</List.Item>
        ))}
      </List>
      <CopyButton value={props.codes.join('\n')}>
        {({ copied, copy }) => (
          <Button variant="light" onClick={copy}>
            {copied ? t('copied') : t('copy')}
          </Button>
        )}
      </CopyButton>
      <Button onClick={props.onDone} data-testid="recovery-codes-done">
        {t('continue')}
      </Button>
    </Stack>
  );
}
