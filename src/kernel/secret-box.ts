/**
 * Encryption at rest for secrets Charla must read back (TOTP secrets): AES-256-GCM with a key
 * derived (SHA-256) from SECRET_KEY. Stored form: `enc:v1:<iv>:<tag>:<ciphertext>` (base64url).
 * A value without the prefix is a plaintext secret from before encryption: `open` still reads it
 * and `isSealed` tells the caller to re-encrypt it. Without SECRET_KEY a built-in development key
 * is used (a warning at start says so): anyone with the source can read those secrets.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
/** For `npm start` on a laptop only; production sets SECRET_KEY (README, "Security"). */
export const DEV_SECRET_KEY = 'charla-development-secret-key-not-for-production';

export interface SecretBox {
  seal(plaintext: string): string;
  /** The plaintext of a sealed value, or the value itself if it was stored before encryption. */
  open(stored: string): string;
  isSealed(stored: string): boolean;
}

export function createSecretBox(secretKey: string | undefined): SecretBox {
  const key = createHash('sha256')
    .update(secretKey ?? DEV_SECRET_KEY)
    .digest();
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${PREFIX}${[iv, tag, body].map((b) => b.toString('base64url')).join(':')}`;
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const [iv, tag, body] = stored
        .slice(PREFIX.length)
        .split(':')
        .map((p) => Buffer.from(p, 'base64url'));
      if (!iv || !tag || !body) throw new Error('sealed secret is malformed');
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
    isSealed: (stored) => stored.startsWith(PREFIX),
  };
}
