/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s) with `otpauth`, and the recovery codes. A code is
 * accepted for the current step and one step either side (clock drift); the caller stores the
 * step it matched so the same code is never accepted twice.
 */
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_S = 30;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Charla';

const totpOf = (secret: string, label = 'staff') =>
  new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secret),
  });

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The otpauth:// URI an authenticator app reads (as a QR code or typed in). */
export const totpUri = (secret: string, email: string): string => totpOf(secret, email).toString();

/** The time step `code` is valid for (now ±1 step), or undefined. */
export function totpStepOf(secret: string, code: string, now = Date.now()): number | undefined {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const totp = totpOf(secret);
  const delta = totp.validate({ token, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  return totp.counter({ timestamp: now }) + delta;
}

/** Ten codes like `k7m2p-9xq4r` (50 random bits each; no 0/o/1/l to misread). */
export function newRecoveryCodes(): string[] {
  const alphabet = '23456789abcdefghijkmnpqrstuvwxyz';
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** What a person typed as a recovery code, in the stored form (lower case, one dash). */
export function normaliseRecoveryCode(input: string): string | undefined {
  const chars = input.toLowerCase().replace(/[^0-9a-z]/g, '');
  return /^[2-9a-z]{10}$/.test(chars) ? `${chars.slice(0, 5)}-${chars.slice(5)}` : undefined;
}
