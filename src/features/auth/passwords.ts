/**
 * Password hashing: argon2id via @node-rs/argon2 (prebuilt, no native build step) with the
 * library's defaults (OWASP's m=19 MiB, t=2, p=1).
 */
import { hash, verify } from '@node-rs/argon2';

export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of a real verification when the email is unknown, so that response times do
 * not tell which addresses have accounts.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hash('charla-no-such-user-placeholder');
  await verifyPassword(await dummyHash, password);
  return false;
}
